import { Switchboard } from 'switchboard-mcp';
import { loadToolsFile } from 'switchboard-mcp/sql';
import { SCHEMA } from './sql.js';

/** What `switchboard serve tools.yaml` does with the file: load it, then check and register its tools. */
export async function serveToolsFile(path: string) {
  const file = await loadToolsFile(path, { env: process.env });
  await file.source('crm').exec(SCHEMA); // an in-memory database starts empty; a real one has its data
  const server = new Switchboard({ name: 'crm-tools', version: '1.0.0' });
  await file.register(server); // every tool; { toolset: 'lookup' } registers that toolset's only
  return { server, file }; // file.close() closes its sources
}
