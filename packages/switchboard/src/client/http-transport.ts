import { ErrorCode } from '../protocol/errors.js';
import { classifyMessage, encodeError, encodeResult } from '../protocol/jsonrpc.js';
import type { JsonRpcNotification, JsonRpcRequest, JsonRpcResponse } from '../protocol/messages.js';
import { META, MODERN_VERSION } from '../protocol/versions.js';
import { ConnectionError, RpcError } from './errors.js';
import { mirroredHeaders } from './http-headers.js';
import { readSseData } from './sse-reader.js';
import type { ClientTransport, IncomingHandler, SendOptions } from './transport.js';

/** A Streamable HTTP server. */
export interface HttpTarget {
  url: string;
  /** Headers sent with every request (an API key, say). */
  headers?: Record<string, string>;
  /**
   * The fetch every HTTP request goes through (default: the global one). An OAuth layer passes one that adds the
   * bearer token and signs in on a 401.
   */
  fetch?: typeof fetch;
}

/**
 * Streamable HTTP: one POST per message. A 2026-07-28 request carries `MCP-Protocol-Version`, `Mcp-Method` and
 * `Mcp-Name`; a 2025-era session adds its negotiated version and `Mcp-Session-Id`. A POST is answered with JSON or
 * an SSE stream whose events are the server's notifications and requests, then the response.
 */
export class HttpTransport implements ClientTransport {
  readonly #target: HttpTarget;
  readonly #fetch: typeof fetch;
  #handler: IncomingHandler | undefined;
  #legacyVersion: string | undefined;
  #sessionId: string | undefined;

  constructor(target: HttpTarget) {
    this.#target = target;
    this.#fetch = target.fetch ?? fetch;
  }

  async start(handler: IncomingHandler): Promise<void> {
    this.#handler = handler;
  }

  useLegacySession(protocolVersion: string): void {
    this.#legacyVersion = protocolVersion;
  }

  async request(message: JsonRpcRequest, options: SendOptions = {}): Promise<JsonRpcResponse> {
    const modern = (message.params?._meta as Record<string, unknown> | undefined)?.[META.protocolVersion] !== undefined;
    const headers = modern ? { 'mcp-protocol-version': MODERN_VERSION, ...mirroredHeaders(message) } : {};
    const onAbort = () => {
      // 2026-07-28 cancels by closing the stream (the aborted fetch); a 2025-era session is told as well.
      if (!modern)
        void this.notify({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: message.id } });
    };
    options.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const response = await this.#post(JSON.stringify(message), { ...headers, ...options.headers }, options.signal);
      if (message.method === 'initialize') this.#sessionId = response.headers.get('mcp-session-id') ?? undefined;
      return await this.#readResponse(message, response);
    } finally {
      options.signal?.removeEventListener('abort', onAbort);
    }
  }

  async notify(message: JsonRpcNotification): Promise<void> {
    const response = await this.#post(JSON.stringify(message), {});
    await response.body?.cancel();
  }

  async close(): Promise<void> {
    if (this.#sessionId === undefined) return;
    // 2025-11-25 transports §Session Management: a client that is done SHOULD delete its session.
    const response = await this.#fetch(this.#target.url, { method: 'DELETE', headers: this.#headers({}) }).catch(
      () => undefined,
    );
    await response?.body?.cancel();
    this.#sessionId = undefined;
  }

  #headers(extra: Record<string, string>): Record<string, string> {
    const headers: Record<string, string> = { ...this.#target.headers };
    if (this.#legacyVersion !== undefined) headers['mcp-protocol-version'] = this.#legacyVersion;
    if (this.#sessionId !== undefined) headers['mcp-session-id'] = this.#sessionId;
    return { ...headers, ...extra };
  }

  async #post(body: string, extra: Record<string, string>, signal?: AbortSignal): Promise<Response> {
    const headers = this.#headers({
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      ...extra,
    });
    try {
      return await this.#fetch(this.#target.url, { method: 'POST', headers, body, signal });
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      const reason = (error as { cause?: { code?: string; message?: string } }).cause;
      throw new ConnectionError(
        `could not reach ${this.#target.url}: ${reason?.code ?? reason?.message ?? (error as Error).message}`,
        { cause: error },
      );
    }
  }

  async #readResponse(message: JsonRpcRequest, response: Response): Promise<JsonRpcResponse> {
    const type = response.headers.get('content-type') ?? '';
    if (type.includes('text/event-stream') && response.body !== null) {
      for await (const data of readSseData(response.body)) {
        const found = this.#dispatch(data, message);
        if (found !== undefined) {
          await response.body.cancel().catch(() => undefined);
          return found;
        }
      }
      throw new ConnectionError(`${this.#target.url} closed the stream of ${message.method} before answering it`);
    }
    const text = await response.text();
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      value = undefined;
    }
    if (classifyMessage(value) === 'response') return value as JsonRpcResponse;
    // A JSON-RPC error body without an id (a request the server could not read) still says what was wrong.
    const error = (value as { error?: { code?: unknown; message?: unknown } } | undefined)?.error;
    if (typeof error?.code === 'number' && typeof error.message === 'string') {
      return { jsonrpc: '2.0', id: message.id, error: { code: error.code, message: error.message } };
    }
    const challenge = response.headers.get('www-authenticate') ?? undefined;
    const what = response.status === 401 || response.status === 403 ? 'needs authorization' : 'did not answer with MCP';
    throw new ConnectionError(
      `${this.#target.url} ${what} (HTTP ${response.status}${text === '' ? '' : `: ${text.slice(0, 200)}`})`,
      { status: response.status, challenge },
    );
  }

  /** Handles one SSE event; returns it when it is the response `message` waits for. */
  #dispatch(data: string, message: JsonRpcRequest): JsonRpcResponse | undefined {
    let value: unknown;
    try {
      value = JSON.parse(data);
    } catch {
      return undefined;
    }
    const kind = classifyMessage(value);
    if (kind === 'response')
      return (value as JsonRpcResponse).id === message.id ? (value as JsonRpcResponse) : undefined;
    if (kind === 'notification') this.#handler?.notification(value as JsonRpcNotification);
    else if (kind === 'request') void this.#answer(value as JsonRpcRequest);
    return undefined;
  }

  /** Answers a server-to-client request (2025 era) with a POST of the response. */
  async #answer(request: JsonRpcRequest): Promise<void> {
    let reply: string;
    try {
      reply = encodeResult(request.id, await (this.#handler as IncomingHandler).request(request));
    } catch (error) {
      const code = error instanceof RpcError ? error.rpcCode : ErrorCode.InternalError;
      reply = encodeError(request.id, code, error instanceof Error ? error.message : String(error));
    }
    const response = await this.#post(reply, {}).catch(() => undefined);
    await response?.body?.cancel();
  }
}
