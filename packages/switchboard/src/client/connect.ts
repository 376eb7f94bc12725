import { McpClient } from './client.js';
import type { ClientOptions } from './client-options.js';
import type { HttpTarget } from './http-transport.js';
import { HttpTransport } from './http-transport.js';
import type { StdioTarget } from './stdio-transport.js';
import { StdioTransport } from './stdio-transport.js';

/** A server to talk to: a Streamable HTTP URL (or its options), or a command to start over stdio. */
export type ClientTarget = string | URL | HttpTarget | StdioTarget;

/**
 * Connects to `target` and starts the conversation (`era: 'auto'` by default: 2026-07-28 when the server answers
 * `server/discover`, else a 2025-11-25 `initialize`). Close the client when done.
 */
export async function connect(target: ClientTarget, options: ClientOptions = {}): Promise<McpClient> {
  const transport =
    typeof target === 'string' || target instanceof URL
      ? new HttpTransport({ url: String(target) })
      : 'url' in target
        ? new HttpTransport(target)
        : new StdioTransport(target);
  const client = new McpClient(transport, options);
  try {
    await client.start();
  } catch (error) {
    await transport.close().catch(() => undefined);
    throw error;
  }
  return client;
}
