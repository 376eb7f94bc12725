import type { Logger } from 'pino';
import type { AuthInfo } from '../../protocol/auth.js';
import { MODERN_VERSION } from '../../protocol/versions.js';
import type { HttpExchange, StreamWriter } from './exchange.js';

/**
 * A request the HTTP endpoint answered itself with an error status, before any middleware saw it: a malformed
 * body or header (400), a failed authentication (401, 403), an unknown session (404), a wrong Accept or
 * Content-Type (406, 415), an oversized body (413), an `admit` limit (429), shutting down or a store away (503).
 */
export interface HttpRefusal {
  /** The HTTP method (GET, POST, DELETE, …). */
  readonly httpMethod: string;
  /** The JSON-RPC method, when the body was read or the `Mcp-Method` header named it. */
  readonly method: string | undefined;
  /** The protocol era, when the body or the headers tell it. */
  readonly era: 'legacy' | 'modern' | undefined;
  /** The caller, once authentication established it. */
  readonly auth: AuthInfo | undefined;
  readonly sessionId: string | undefined;
  /** The HTTP status of the answer. */
  readonly status: number;
  readonly durationMs: number;
  /** The server's logger. */
  readonly logger: Logger;
}

/** Told of each refusal: `accessLog().refused` writes it as a line of the access log. */
export type RefusalListener = (refusal: HttpRefusal) => void;

/** What the endpoint learns about a request while it is handled, when someone listens for refusals. */
interface RequestFacts {
  method?: string;
  era?: 'legacy' | 'modern';
  auth?: AuthInfo;
}

/**
 * The exchange, watched: records the status it is answered with and whether the request reached the engine
 * (whose middleware logs it), so a refusal is reported once and an answered request never. Only made when an
 * `onRefused` listener is set; without one the endpoint uses the exchange as it is.
 */
export class WatchedExchange implements HttpExchange {
  readonly #inner: HttpExchange;
  readonly facts: RequestFacts = {};
  status: number | undefined;
  dispatched = false;

  constructor(inner: HttpExchange) {
    this.#inner = inner;
  }

  get method(): string {
    return this.#inner.method;
  }
  get url(): string {
    return this.#inner.url;
  }
  get closed(): boolean {
    return this.#inner.closed;
  }
  header(name: string): string | undefined {
    return this.#inner.header(name);
  }
  ambiguousHeader(): string | undefined {
    return this.#inner.ambiguousHeader?.();
  }
  readBody(limit: number): Promise<string> {
    return this.#inner.readBody(limit);
  }
  send(status: number, headers: Record<string, string>, body?: string): void {
    this.status ??= status;
    this.#inner.send(status, headers, body);
  }
  stream(status: number, headers: Record<string, string>): StreamWriter {
    this.status ??= status;
    return this.#inner.stream(status, headers);
  }
  onClose(listener: () => void): void {
    this.#inner.onClose(listener);
  }

  /** The refusal to report, or undefined when the answer was not one (or the engine's middleware saw it). */
  refusal(startedAt: number, logger: Logger): HttpRefusal | undefined {
    const status = this.status;
    if (status === undefined || status < 400 || this.dispatched) return undefined;
    const version = this.header('mcp-protocol-version');
    const sessionId = this.header('mcp-session-id');
    const headerEra =
      version === MODERN_VERSION ? 'modern' : version !== undefined || sessionId !== undefined ? 'legacy' : undefined;
    return {
      httpMethod: this.method,
      method: this.facts.method ?? this.header('mcp-method'),
      era: this.facts.era ?? headerEra,
      auth: this.facts.auth,
      sessionId,
      status,
      durationMs: Math.round((performance.now() - startedAt) * 1000) / 1000,
      logger,
    };
  }
}

/** Notes what the endpoint learned about the request, when its refusals are watched (a no-op otherwise). */
export function noteRequest(exchange: HttpExchange, facts: RequestFacts): void {
  if (exchange instanceof WatchedExchange) Object.assign(exchange.facts, facts);
}

/** The request goes to the engine now: its middleware (the access log among them) sees it from here on. */
export function noteDispatched(exchange: HttpExchange): void {
  if (exchange instanceof WatchedExchange) exchange.dispatched = true;
}
