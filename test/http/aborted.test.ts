import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { connect } from 'node:net';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { Switchboard } from 'switchboard-mcp';
import { createNodeHandler } from 'switchboard-mcp/http';
import { describe, expect, it } from 'vitest';

describe('a client that hangs up mid-body', () => {
  it('leaves nothing in flight and is not logged as a server error', async () => {
    const logged: string[] = [];
    const sink = new Writable({
      write(chunk, _encoding, done) {
        logged.push(String(chunk));
        done();
      },
    });
    const server = new Switchboard({ name: 'aborts', version: '1.0.0', logger: pino({ level: 'debug' }, sink) });
    const handler = createNodeHandler(server);
    const http = createServer((req, res) => void handler(req, res));
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = http.address() as AddressInfo;
      const socket = connect(port, '127.0.0.1');
      await new Promise((resolve) => socket.once('connect', resolve));
      socket.write(
        `POST /mcp HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: application/json\r\nAccept: application/json, text/event-stream\r\nContent-Length: 500\r\n\r\n{"jsonrpc":"2.0",`,
      );
      await expect.poll(() => handler.endpoint.inflight).toBe(1);
      socket.destroy();
      await expect.poll(() => handler.endpoint.inflight).toBe(0);
      await new Promise((resolve) => setImmediate(resolve));
      expect(logged.filter((line) => line.includes('"level":50'))).toEqual([]);
    } finally {
      await new Promise((resolve) => http.close(resolve));
    }
  });
});
