import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { announce } from './child.js';

/** What the official SDKs' sessionful transports have in common. */
export interface SessionTransport {
  handleRequest(req: IncomingMessage, res: ServerResponse, body: unknown): Promise<void>;
}

/**
 * The routing their docs show for a sessionful deployment: `initialize` without a session id opens a session
 * (a new server and transport); later requests go to their session's transport; anything else is 400/404.
 * `open` builds and connects one, calling `register(id)` once the transport has minted the session id.
 */
export function listenWithSessions(open: (register: (id: string) => void) => Promise<SessionTransport>): void {
  const sessions = new Map<string, SessionTransport>();
  const http = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => {
      body += chunk;
    });
    req.on('end', async () => {
      const parsed = body === '' ? undefined : JSON.parse(body);
      const sid = req.headers['mcp-session-id'] as string | undefined;
      const existing = sid === undefined ? undefined : sessions.get(sid);
      if (existing !== undefined) return existing.handleRequest(req, res, parsed);
      if (sid === undefined && parsed?.method === 'initialize') {
        const transport = await open((id) => sessions.set(id, transport));
        return transport.handleRequest(req, res, parsed);
      }
      res.writeHead(sid === undefined ? 400 : 404).end();
    });
  });
  http.listen(0, '127.0.0.1', () => announce(`http://127.0.0.1:${(http.address() as AddressInfo).port}/mcp`));
}
