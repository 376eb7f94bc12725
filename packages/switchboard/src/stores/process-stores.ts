import type { SharedStores } from './shared-stores.js';

/**
 * Shared stores for every `Switchboard` of this process built without a `stores` option: how
 * `switchboard run --shared-stores` hands the stores it made to the entry's server, which the entry constructs
 * itself on import. Kept under a registered symbol on `globalThis`, so an entry whose switchboard-mcp is another
 * copy than the CLI's (a global CLI, a project's own install) sees it too.
 */
const KEY = Symbol.for('switchboard-mcp.processStores');

type Holder = { [KEY]?: SharedStores };

/** Sets (or, with undefined, clears) the stores servers built from now on take by default. */
export function setProcessStores(stores: SharedStores | undefined): void {
  (globalThis as Holder)[KEY] = stores;
}

/** The stores `setProcessStores` set, if any. */
export function processStores(): SharedStores | undefined {
  return (globalThis as Holder)[KEY];
}
