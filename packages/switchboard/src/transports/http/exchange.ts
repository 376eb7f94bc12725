import { SwitchboardError } from '../../protocol/errors.js';

/** A response body that streams Server-Sent Events. */
export interface StreamWriter {
  write(chunk: string): void;
  end(): void;
  readonly closed: boolean;
}

/**
 * One HTTP request/response pair, as the transport logic sees it. The node adapter implements it directly on
 * `IncomingMessage`/`ServerResponse` (the hot path); the fetch adapter on `Request`/`Response`.
 */
export interface HttpExchange {
  readonly method: string;
  /** The request target: path and query, e.g. `/mcp?x=1`. */
  readonly url: string;
  /** A request header by lower-case name; repeated headers are joined with ", ". */
  header(name: string): string | undefined;
  /**
   * What makes the request ambiguous, if anything: a repeated `Host` (RFC 9112 §3.2: 400), or an MCP header sent
   * twice with different values. Identical repeats of an MCP header count as one. Adapters that cannot see repeats
   * (fetch runtimes join them) leave it out.
   */
  ambiguousHeader?(): string | undefined;
  /**
   * The whole body as text. Rejects with `BodyTooLargeError` as soon as more than `limit` bytes are declared or
   * have arrived (a chunked upload is cut off mid-stream), with `ClientGoneError` if the client hangs up.
   */
  readBody(limit: number): Promise<string>;
  /** Sends a complete response. */
  send(status: number, headers: Record<string, string>, body?: string): void;
  /** Starts a streaming response. */
  stream(status: number, headers: Record<string, string>): StreamWriter;
  /** Runs `listener` once if the client goes away before the response ends. */
  onClose(listener: () => void): void;
  /** True once the client disconnected or the response ended. */
  readonly closed: boolean;
}

export class BodyTooLargeError extends SwitchboardError {
  readonly limit: number;
  constructor(limit: number) {
    super('ERR_BODY_TOO_LARGE', `Request body exceeds ${limit} bytes`);
    this.limit = limit;
  }
}

/** The client disconnected before its request body arrived; there is no one left to answer. */
export class ClientGoneError extends SwitchboardError {
  constructor() {
    super('ERR_CLIENT_GONE', 'The client disconnected before sending the whole request');
  }
}

/**
 * Middleware read the request body before the endpoint and left nothing it can use (no `req.body`): a server
 * misconfiguration, answered with 500 rather than a wait for bytes that will never come.
 */
export class BodyUnavailableError extends SwitchboardError {
  constructor() {
    super('ERR_BODY_UNAVAILABLE', 'The request body was read by earlier middleware and not kept as req.body');
  }
}
