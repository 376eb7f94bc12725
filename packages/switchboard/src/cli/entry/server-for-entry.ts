import { EntryError } from '../errors.js';
import type { EntryKind } from './load-entry.js';
import { loadEntry } from './load-entry.js';
import type { ServableServer } from './servable.js';

/**
 * The server an entry describes. A module is imported; a `tools.yaml` is where the SQL gateway will build a server
 * from its tool definitions once it lands.
 */
export async function serverForEntry(path: string, kind: EntryKind): Promise<ServableServer> {
  if (kind === 'module') return loadEntry(path);
  throw new EntryError(
    `${path}: serving a tools.yaml needs the SQL gateway, which this version of switchboard-mcp does not include yet`,
  );
}
