import { Switchboard } from 'switchboard-mcp';
import { registerContentTools } from './fixtures/content-tools.js';
import { registerInputTools } from './fixtures/input-tools.js';
import { registerMutationTools, registerResourcesAndPrompts } from './fixtures/resources-prompts.js';
import { registerTaskTools } from './fixtures/task-tools.js';

/** The server the official conformance suite drives: every fixture it expects, both eras at one endpoint. */
export function createConformanceServer(): Switchboard {
  const server = new Switchboard({
    name: 'switchboard-conformance',
    version: '1.0.0',
    instructions: 'Fixture server for the MCP conformance suite.',
  });
  registerContentTools(server);
  registerInputTools(server);
  registerResourcesAndPrompts(server);
  registerMutationTools(server);
  registerTaskTools(server);
  return server;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const server = createConformanceServer();
  const handle = await server.listen({ port: Number(process.env.PORT ?? 3000), retryMs: 1000 });
  // The suite runner reads this line to learn the URL.
  process.stdout.write(`${handle.url}\n`);
  const stop = () => void handle.close().then(() => process.exit(0));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}
