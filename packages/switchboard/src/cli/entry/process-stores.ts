import { setProcessStores } from '../../stores/process-stores.js';
import { storesFromEnv } from '../../stores/redis/shared.js';
import type { SharedStores } from '../../stores/shared-stores.js';
import { EntryError, UsageError } from '../errors.js';
import type { ServableServer } from './servable.js';

/**
 * `--shared-stores`: the stores `storesFromEnv()` makes from `REDIS_URL` (and `DATABASE_URL` for tasks), set as
 * this process's default before the entry builds its server. Explicit, not implied by `REDIS_URL` alone: those
 * variables often belong to the application (its cache, its own database), and a server that quietly moved its
 * sessions into that Redis and a tasks table into that database would surprise its owner.
 */
export function useSharedStoresFromEnv(env: NodeJS.ProcessEnv = process.env): SharedStores {
  const stores = storesFromEnv(env);
  if (stores === undefined) {
    throw new UsageError(
      '--shared-stores needs REDIS_URL (and DATABASE_URL for tasks), e.g. REDIS_URL=redis://127.0.0.1:6379 switchboard run server.js --shared-stores',
    );
  }
  setProcessStores(stores);
  return stores;
}

/**
 * Checks that the entry's server took the stores `--shared-stores` made. One that names its own `stores` keeps
 * them; one built by a copy of switchboard-mcp that knows no process stores would silently stay in memory.
 */
export function checkTookStores(server: ServableServer): void {
  if (server.stores !== undefined) return;
  throw new EntryError(
    "--shared-stores: the entry's server kept memory stores; its switchboard-mcp is older than the CLI's. Update it, or pass stores: storesFromEnv() in the server's options",
  );
}
