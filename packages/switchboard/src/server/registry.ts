import { RegistrationError } from '../protocol/errors.js';

/** What `.tool()`, `.prompt()` and friends return: a live handle on the registration. */
export interface Registration {
  readonly name: string;
  /** Hides the entry from lists and calls without forgetting it; clients get `list_changed`. */
  disable(): void;
  enable(): void;
  /** Removes the entry; clients get `list_changed`. */
  remove(): void;
}

/**
 * An ordered, named collection that counts its changes. Listing order is registration order, which is
 * deterministic across restarts (2026-07-28 changelog: servers SHOULD list tools in a deterministic order).
 */
export class Registry<T extends { readonly definition: Record<string, unknown> }> {
  readonly #entries = new Map<string, { value: T; enabled: boolean }>();
  readonly #kind: string;
  readonly #onChange: () => void;
  #enabledCache: T[] | undefined;
  #definitionsCache: T['definition'][] | undefined;

  constructor(kind: string, onChange: () => void) {
    this.#kind = kind;
    this.#onChange = onChange;
  }

  get size(): number {
    return this.#entries.size;
  }

  add(name: string, value: T): Registration {
    if (this.#entries.has(name)) throw new RegistrationError(`${this.#kind} "${name}" is already registered`);
    this.#entries.set(name, { value, enabled: true });
    this.#changed();
    return {
      name,
      disable: () => this.#setEnabled(name, value, false),
      enable: () => this.#setEnabled(name, value, true),
      remove: () => {
        if (this.#entries.get(name)?.value === value) {
          this.#entries.delete(name);
          this.#changed();
        }
      },
    };
  }

  /** The enabled entry of that name, if any. */
  get(name: string): T | undefined {
    const entry = this.#entries.get(name);
    return entry?.enabled ? entry.value : undefined;
  }

  /** Enabled entries in registration order; the array is shared until the next change. */
  list(): readonly T[] {
    if (this.#enabledCache === undefined) {
      this.#enabledCache = [];
      for (const entry of this.#entries.values()) if (entry.enabled) this.#enabledCache.push(entry.value);
    }
    return this.#enabledCache;
  }

  /** The wire definitions of the enabled entries (what the list methods page through); shared until a change. */
  definitions(): readonly T['definition'][] {
    this.#definitionsCache ??= this.list().map((entry) => entry.definition);
    return this.#definitionsCache;
  }

  #setEnabled(name: string, value: T, enabled: boolean): void {
    const entry = this.#entries.get(name);
    if (entry === undefined || entry.value !== value || entry.enabled === enabled) return;
    entry.enabled = enabled;
    this.#changed();
  }

  #changed(): void {
    this.#enabledCache = undefined;
    this.#definitionsCache = undefined;
    this.#onChange();
  }
}
