import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createInterface } from 'node:readline';
import { announce, announceStdio, transport } from './child.js';

/**
 * The baseline: JSON-RPC over node:http (or newline-delimited stdio) with no MCP semantics at all. It parses the
 * body, answers `initialize` with a fixed session id and `tools/call` with the sum.
 */
interface Message {
  id?: number | string;
  method?: string;
  params?: { arguments?: { a: number; b: number } };
}

function answer(message: Message): string | undefined {
  if (message.id === undefined) return undefined;
  if (message.method === 'tools/call') {
    const { a, b } = message.params?.arguments ?? { a: 0, b: 0 };
    return JSON.stringify({
      jsonrpc: '2.0',
      id: message.id,
      result: { content: [{ type: 'text', text: String(a + b) }] },
    });
  }
  return JSON.stringify({
    jsonrpc: '2.0',
    id: message.id,
    result: { protocolVersion: '2025-11-25', capabilities: {}, serverInfo: { name: 'bare', version: '1' } },
  });
}

if (transport === 'stdio') {
  createInterface({ input: process.stdin }).on('line', (line) => {
    const reply = answer(JSON.parse(line) as Message);
    if (reply !== undefined) process.stdout.write(`${reply}\n`);
  });
  announceStdio();
} else {
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => {
      body += chunk;
    });
    req.on('end', () => {
      const reply = answer(JSON.parse(body) as Message);
      if (reply === undefined) {
        res.writeHead(202).end();
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json', 'mcp-session-id': 'bare-session' });
      res.end(reply);
    });
  });
  server.listen(0, '127.0.0.1', () => announce(`http://127.0.0.1:${(server.address() as AddressInfo).port}/mcp`));
}
