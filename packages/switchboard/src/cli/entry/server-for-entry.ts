import { basename, dirname } from 'node:path';
import { Switchboard } from '../../server/switchboard.js';
import { loadToolsFile } from '../../sql/tools-file/load-tools-file.js';
import { EntryError } from '../errors.js';
import { packageVersion } from '../help-text.js';
import type { EntryKind } from './load-entry.js';
import { loadEntry } from './load-entry.js';
import type { ServableServer } from './servable.js';

/**
 * The server an entry describes. A module is imported; a `tools.yaml` becomes a no-code SQL server: its sources
 * are opened, every tool is checked against its database and registered, and closing the server closes them.
 */
export async function serverForEntry(path: string, kind: EntryKind): Promise<ServableServer> {
  if (kind === 'module') return loadEntry(path);
  return serverForToolsFile(path);
}

async function serverForToolsFile(path: string): Promise<ServableServer> {
  // Errors of the file itself (ToolsFileError, SqlCheckError, DatabaseUnavailableError) already say where.
  const tools = await loadToolsFile(path);
  const server = new Switchboard({ name: basename(dirname(path)) || 'tools', version: packageVersion() });
  try {
    await tools.register(server);
  } catch (error) {
    await tools.close();
    throw error;
  }
  if (tools.tools.length === 0) {
    await tools.close();
    throw new EntryError(`${path} defines no tools`);
  }
  return {
    info: server.info,
    get stores() {
      return server.stores;
    },
    listen: (options) => server.listen(options),
    stdio: (options) => server.stdio(options),
    close: async () => {
      server.close();
      await tools.close();
    },
  };
}
