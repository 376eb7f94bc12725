/**
 * The test-runner functions a contract suite registers its cases with: vitest's, jest's or `node:test`'s
 * `describe` and `it` all fit. Cases fail by throwing (the suites use `node:assert`), so no runner's `expect` is
 * needed.
 */
export interface ContractRunner {
  describe(name: string, body: () => void): void;
  it(name: string, body: () => Promise<void>): void;
}

/** Makes a fresh, empty store for one case; `dispose` (optional) closes it afterwards. */
export type StoreFactory<S> = () =>
  | Promise<{ store: S; dispose?: () => Promise<void> }>
  | { store: S; dispose?: () => Promise<void> };

/** Runs one case on a fresh store and always disposes of it. */
export async function withStore<S>(factory: StoreFactory<S>, body: (store: S) => Promise<void>): Promise<void> {
  const { store, dispose } = await factory();
  try {
    await body(store);
  } finally {
    await dispose?.();
  }
}

/** A unique id per case, so stores shared across cases (one Redis) do not see each other's keys. */
export function uniqueId(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
}
