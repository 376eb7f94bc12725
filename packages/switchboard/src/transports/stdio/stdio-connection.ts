import type { Readable, Writable } from 'node:stream';
import { ErrorCode } from '../../protocol/errors.js';
import { classifyMessage, encodeError, PARSE_ERROR_BODY, readableId } from '../../protocol/jsonrpc.js';
import type {
  JsonRpcNotification,
  JsonRpcRequest,
  JsonRpcResponse,
  Params,
  RequestId,
} from '../../protocol/messages.js';
import type { SessionSlot } from '../../protocol/method-table.js';
import { OutboundRequests } from '../../protocol/outbound-requests.js';
import { META } from '../../protocol/versions.js';
import { sessionNotification } from '../../server/session-notifications.js';
import type { Switchboard } from '../../server/switchboard.js';
import type { ServerEvent } from '../../stores/bus.js';
import type { LineWriter } from './stdio-link.js';
import { StdioLink } from './stdio-link.js';

/**
 * One stdio connection: newline-delimited JSON-RPC in both eras. A connection that sends `initialize` gets
 * 2025-era semantics scoped to it; requests with per-request `_meta` are served statelessly.
 */
export class StdioConnection implements LineWriter {
  readonly #server: Switchboard;
  readonly #output: Writable;
  readonly #inflight = new Map<RequestId, StdioLink>();
  readonly #outbound = new OutboundRequests();
  readonly #slot: SessionSlot = { id: undefined, state: undefined };
  #buffer = '';
  /** Lines waiting to be written; flushed once per event-loop turn so a burst of replies is one write. */
  #outgoing = '';
  #unsubscribe: (() => void) | undefined;
  readonly closed: Promise<void>;

  constructor(server: Switchboard, input: Readable, output: Writable) {
    this.#server = server;
    this.#output = output;
    input.setEncoding('utf8');
    input.on('data', (chunk: string) => this.#receive(chunk));
    this.closed = new Promise((resolve) => {
      const finish = () => {
        this.close();
        resolve();
      };
      input.once('end', finish);
      input.once('close', finish);
    });
  }

  writeLine(line: string, now = false): void {
    // 2026-07-28 stdio: messages are newline-delimited and MUST NOT contain embedded newlines (JSON text has none).
    if (this.#outgoing === '' && !now) setImmediate(() => this.#flush());
    this.#outgoing += `${line}\n`;
    if (now) this.#flush();
  }

  #flush(): void {
    if (this.#outgoing === '') return;
    const chunk = this.#outgoing;
    this.#outgoing = '';
    this.#output.write(chunk);
  }

  request(method: string, params: Params, signal: AbortSignal): Promise<Params> {
    return this.#outbound.send(method, params, signal, (message) => this.writeLine(message, true));
  }

  close(): void {
    for (const link of this.#inflight.values()) link.cancel();
    this.#outbound.rejectAll('connection closed');
    this.#unsubscribe?.();
    if (this.#outgoing !== '') this.#flush();
  }

  #receive(chunk: string): void {
    const text = this.#buffer + chunk;
    let start = 0;
    let newline = text.indexOf('\n');
    while (newline !== -1) {
      const line = text.slice(start, newline).trim();
      if (line !== '') this.#line(line);
      start = newline + 1;
      newline = text.indexOf('\n', start);
    }
    this.#buffer = text.slice(start);
  }

  #line(line: string): void {
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      this.writeLine(PARSE_ERROR_BODY);
      return;
    }
    const kind = Array.isArray(value) ? 'invalid' : classifyMessage(value);
    if (kind === 'invalid') {
      const reason = Array.isArray(value) ? 'JSON-RPC batches are not supported' : 'not a JSON-RPC 2.0 message';
      this.writeLine(encodeError(readableId(value), ErrorCode.InvalidRequest, `Invalid Request: ${reason}`));
    } else if (kind === 'response') {
      this.#outbound.settle(value as JsonRpcResponse);
    } else if (kind === 'notification') {
      this.#notification(value as JsonRpcNotification);
    } else {
      void this.#request(value as JsonRpcRequest);
    }
  }

  async #request(request: JsonRpcRequest): Promise<void> {
    const meta = request.params?._meta as Params | undefined;
    const modern = meta?.[META.protocolVersion] !== undefined;
    const link = new StdioLink(this, !modern && this.#slot.state !== undefined);
    this.#inflight.set(request.id, link);
    try {
      const reply = await this.#server.engine.handleRequest(request, {
        link,
        session: modern ? undefined : this.#slot,
      });
      if (!link.cancelled) this.writeLine(reply.body);
    } finally {
      this.#inflight.delete(request.id);
    }
    if (request.method === 'initialize' && this.#slot.state !== undefined) this.#listenForChanges();
  }

  #notification(message: JsonRpcNotification): void {
    if (message.method === 'notifications/cancelled') {
      const id = message.params?.requestId;
      if (typeof id === 'string' || typeof id === 'number') this.#inflight.get(id)?.cancel();
    } else if (message.method === 'notifications/initialized' && this.#slot.state !== undefined) {
      this.#slot.state.initialized = true;
    }
  }

  /** A 2025-era connection receives list changes and updates of subscribed resources unprompted. */
  #listenForChanges(): void {
    this.#unsubscribe ??= this.#server.core.bus.subscribe((event: ServerEvent) => {
      const notification = sessionNotification(event, this.#slot.state?.subscriptions);
      if (notification !== undefined) this.writeLine(notification);
    });
  }
}
