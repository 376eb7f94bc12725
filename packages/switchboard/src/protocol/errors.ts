/** JSON-RPC 2.0 and MCP error codes this engine emits. */
export const ErrorCode = {
  ParseError: -32700,
  InvalidRequest: -32600,
  MethodNotFound: -32601,
  InvalidParams: -32602,
  InternalError: -32603,
  /** 2025-11-25 and earlier only; 2026-07-28 uses InvalidParams (server/resources §Error Handling). */
  ResourceNotFound: -32002,
  /** 2026-07-28 basic/index §Error Codes. */
  HeaderMismatch: -32020,
  MissingRequiredClientCapability: -32021,
  UnsupportedProtocolVersion: -32022,
  /**
   * The caller lacks a scope the request needs. MCP defines no code for this (over HTTP it is a 403 with an
   * `insufficient_scope` challenge); -32003 is in JSON-RPC's implementation-defined server range and is what peers use.
   */
  Forbidden: -32003,
} as const;

/** Stable string codes, in the manner of jose's `ERR_*` codes. */
export type SwitchboardErrorCode =
  | 'ERR_PROTOCOL'
  | 'ERR_TOOL'
  | 'ERR_REGISTRATION'
  | 'ERR_SESSION_NOT_FOUND'
  | 'ERR_NOT_FOUND'
  | 'ERR_INPUT_UNAVAILABLE'
  | 'ERR_AUTH_CHALLENGE'
  | 'ERR_DATABASE_UNAVAILABLE'
  | 'ERR_MIGRATION'
  | 'ERR_MIDDLEWARE'
  | 'ERR_INVALID_TOKEN'
  | 'ERR_AUTH_UNAVAILABLE';

/** Base class of every error Switchboard throws on purpose. */
export class SwitchboardError extends Error {
  readonly code: SwitchboardErrorCode;
  constructor(code: SwitchboardErrorCode, message: string) {
    super(message);
    this.name = new.target.name;
    this.code = code;
  }
}

/** How a `ProtocolError` is answered over HTTP beyond its status. */
export interface HttpErrorOptions {
  /** Response headers, e.g. `WWW-Authenticate` for a step-up or `Retry-After` for a rate limit. */
  headers?: Readonly<Record<string, string>>;
  /**
   * Apply `httpStatus` and `headers` to 2025-era responses too. Without it a 2025-era JSON-RPC error is HTTP 200,
   * as that revision's clients expect; authorization (401/403) and rate limits (429) are HTTP answers in both eras.
   */
  everyEra?: boolean;
}

/**
 * An error that becomes a JSON-RPC error response as written: `rpcCode`, `message` and `data` go on the wire.
 * `httpStatus` is the status the Streamable HTTP transport answers with (200 unless a revision says otherwise).
 */
export class ProtocolError extends SwitchboardError {
  readonly rpcCode: number;
  readonly data: unknown;
  readonly httpStatus: number;
  readonly httpHeaders: Readonly<Record<string, string>> | undefined;
  readonly everyEra: boolean;
  constructor(rpcCode: number, message: string, data?: unknown, httpStatus = 200, options: HttpErrorOptions = {}) {
    super('ERR_PROTOCOL', message);
    this.rpcCode = rpcCode;
    this.data = data;
    this.httpStatus = httpStatus;
    this.httpHeaders = options.headers;
    this.everyEra = options.everyEra ?? false;
  }
}

/**
 * Thrown from a tool handler to tell the model what went wrong; the message reaches the model verbatim as an
 * `isError` tool result, so write it as guidance the model can act on.
 */
export class ToolError extends SwitchboardError {
  constructor(message: string) {
    super('ERR_TOOL', message);
  }
}

/**
 * Thrown from a resource, template or prompt handler when the thing asked for does not exist (a lead id with no
 * lead). `resources/read` answers with the revision's resource-not-found error, `prompts/get` with -32602, and a
 * tool with an `isError` result carrying the message.
 */
export class NotFoundError extends SwitchboardError {
  constructor(message = 'Not found') {
    super('ERR_NOT_FOUND', message);
  }
}

/** A registration that cannot work (duplicate name, bad template, invalid header annotation). */
export class RegistrationError extends SwitchboardError {
  constructor(message: string) {
    super('ERR_REGISTRATION', message);
  }
}

export function invalidParams(message: string, data?: unknown, httpStatus = 200): ProtocolError {
  return new ProtocolError(ErrorCode.InvalidParams, message, data, httpStatus);
}

export function methodNotFound(method: string, httpStatus = 200): ProtocolError {
  return new ProtocolError(ErrorCode.MethodNotFound, `Method not found: ${method}`, undefined, httpStatus);
}

/**
 * Errors whose message is written for whoever called (the model, a client): a `ToolError`, a `NotFoundError`, or
 * an input the client could not give. Every other error may hold internals and is masked.
 */
export function isCallerReadable(error: unknown): error is SwitchboardError {
  return (
    error instanceof SwitchboardError &&
    (error.code === 'ERR_TOOL' || error.code === 'ERR_NOT_FOUND' || error.code === 'ERR_INPUT_UNAVAILABLE')
  );
}
