import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { ClientRequestError } from '../../protocol/outbound-requests.js';
import { newSessionState } from '../../protocol/session.js';
import { Switchboard } from '../../server/switchboard.js';
import { FetchExchange } from './fetch-exchange.js';
import { NodeExchange } from './node-exchange.js';
import { HttpReply } from './reply.js';
import { NO_HEADERS } from './responses.js';
import { SessionRuntime } from './session-runtime.js';

const RESULT = { status: 200, body: '{"jsonrpc":"2.0","id":1,"result":{}}' };

/** What a handler that kept its link does once the response is out: late messages, a late question. */
async function actLate(reply: HttpReply): Promise<unknown> {
  reply.notify('notifications/progress', { progressToken: 't', progress: 2 });
  reply.notify('notifications/message', { level: 'info', data: 'late' });
  return reply.request?.('roots/list', {}, new AbortController().signal).catch((error: unknown) => error);
}

function session(): SessionRuntime {
  const host = new Switchboard({ name: 'reply-test', version: '1' });
  return new SessionRuntime(host, 's', newSessionState('2025-11-25', {}, undefined), undefined, undefined);
}

describe('HttpReply after its response was sent', () => {
  it('over node:http: drops late notifications and refuses a late request, leaving the JSON reply intact', async () => {
    let late!: Promise<unknown>;
    const http = createServer((req, res) => {
      const reply = new HttpReply(new NodeExchange(req, res), NO_HEADERS, session(), false);
      reply.finish(RESULT);
      late = actLate(reply);
      reply.finish({ status: 500, body: '{}' });
    });
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = http.address() as AddressInfo;
      const response = await fetch(`http://127.0.0.1:${port}/`, { method: 'POST' });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('application/json');
      expect(await response.text()).toBe(RESULT.body);
      const refused = await late;
      expect(refused).toBeInstanceOf(ClientRequestError);
      expect((refused as Error).message).toContain('already answered');
    } finally {
      http.closeAllConnections();
      await new Promise((resolve) => http.close(resolve));
    }
  });

  it('over fetch: the same, and the Response is the first one', async () => {
    const exchange = new FetchExchange(new Request('http://localhost/mcp', { method: 'POST', body: '{}' }));
    const reply = new HttpReply(exchange, NO_HEADERS, session(), false);
    reply.finish(RESULT);
    expect(await actLate(reply)).toBeInstanceOf(ClientRequestError);
    const response = await exchange.response;
    expect(await response.text()).toBe(RESULT.body);
  });

  it('a cancelled request opens no stream for a question asked after the cancellation', async () => {
    const exchange = new FetchExchange(new Request('http://localhost/mcp', { method: 'POST', body: '{}' }));
    const reply = new HttpReply(exchange, NO_HEADERS, session(), false);
    reply.cancel();
    const refused = await reply.request?.('roots/list', {}, reply.signal).catch((error: unknown) => error);
    expect((refused as Error).message).toContain('already cancelled');
    reply.finish(RESULT);
    const response = await exchange.response;
    expect(await response.text()).toBe('');
  });
});
