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
  /** Over a rate limit or quota (HTTP 429 with `Retry-After`); implementation-defined server range, as -32003. */
  RateLimited: -32029,
} as const;

/** Stable string codes, in the manner of jose's `ERR_*` codes. */
export type SwitchboardErrorCode =
  /** A JSON-RPC error sent as written (`ProtocolError`). */
  | 'ERR_PROTOCOL'
  /** A tool's message for the model (`ToolError`). */
  | 'ERR_TOOL'
  /** A registration that cannot work (`RegistrationError`). */
  | 'ERR_REGISTRATION'
  /** The thing asked for does not exist (`NotFoundError`). */
  | 'ERR_NOT_FOUND'
  /** An input the client could not give: no capability, no answer, a cancelled question (`ClientRequestError`). */
  | 'ERR_INPUT_UNAVAILABLE'
  /** A handler returned something with no protocol form (`HandlerReturnError`, `OutputValidationError`). */
  | 'ERR_HANDLER_RETURN'
  /** A middleware broke the chain's rules (`MiddlewareError`). */
  | 'ERR_MIDDLEWARE'
  /** An HTTP request without acceptable credentials (`AuthChallenge`). */
  | 'ERR_AUTH_CHALLENGE'
  /** An HTTP body over the size limit (`BodyTooLargeError`). */
  | 'ERR_BODY_TOO_LARGE'
  /** Earlier middleware consumed the HTTP body and kept nothing (`BodyUnavailableError`). */
  | 'ERR_BODY_UNAVAILABLE'
  /** The HTTP client left before its request arrived (`ClientGoneError`). */
  | 'ERR_CLIENT_GONE'
  /** A session store holds its maximum of sessions; a new one is refused (`SessionLimitError`). */
  | 'ERR_SESSION_LIMIT'
  /** A shared store (Redis, PostgreSQL) cannot be reached, at start or right now (`StoreUnavailableError`). */
  | 'ERR_STORE_UNAVAILABLE'
  /** The database could not be reached (`DatabaseUnavailableError`). */
  | 'ERR_DATABASE_UNAVAILABLE'
  /** A migration was edited after it was applied, or failed (`MigrationError`). */
  | 'ERR_MIGRATION'
  /** The server answered a `TestClient` or `switchboard-mcp/client` request with a JSON-RPC error (`RpcError`). */
  | 'ERR_RPC'
  /** An MCP server could not be reached, or answered with something that is not MCP (`ConnectionError`). */
  | 'ERR_CONNECTION'
  /** A `TestClient` request could not complete (cancelled, endless input rounds, a repeated cursor). */
  | 'ERR_TEST_CLIENT'
  /** A SQL tool's statement does not fit the live schema or the gateway's rules (`SqlCheckError`). */
  | 'ERR_SQL_CHECK'
  /** A tools.yaml file that cannot be served (`ToolsFileError`). */
  | 'ERR_TOOLS_FILE'
  /** The built-in authorization server was configured in a way that cannot work (`AuthServerConfigError`). */
  | 'ERR_AUTH_SERVER_CONFIG'
  /** A user could not be added, found or removed (`UserError`). */
  | 'ERR_AUTH_USER'
  /** A `switchboard` command line that cannot run as written: exit code 2 (`UsageError`). */
  | 'ERR_CLI_USAGE'
  /** An entry file that is missing, fails to load or hands over no server (`EntryError`). */
  | 'ERR_ENTRY'
  /** A client config file that cannot be read or merged safely; nothing was written (`ClientConfigError`). */
  | 'ERR_CLIENT_CONFIG'
  /** `switchboard create` cannot scaffold where asked (`ScaffoldError`). */
  | 'ERR_SCAFFOLD'
  /** A bearer token that is not acceptable: expired, for another audience, badly signed (`InvalidTokenError`). */
  | 'ERR_INVALID_TOKEN'
  /** A token verifier could not reach its authorization server (`AuthUnavailableError`). */
  | 'ERR_AUTH_UNAVAILABLE'
  /** The CLI's OAuth client could not sign in, refresh or sign out (`OAuthClientError`). */
  | 'ERR_OAUTH_CLIENT';

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

/**
 * A handler returned what the protocol cannot carry (nothing, a Map, malformed contents): a server bug, masked for
 * the client and logged with the handler's name.
 */
export class HandlerReturnError extends SwitchboardError {
  constructor(message: string) {
    super('ERR_HANDLER_RETURN', message);
  }
}

/**
 * A shared store (Redis, PostgreSQL) cannot be reached: at start (the server does not listen), or at run time (the
 * request is answered with `storeUnavailable()`, and the next one after the store is back succeeds).
 */
export class StoreUnavailableError extends SwitchboardError {
  constructor(message: string) {
    super('ERR_STORE_UNAVAILABLE', message);
  }
}

/** Whether `error` is a `StoreUnavailableError`, also one from another copy of this package (checked by its code). */
export function isStoreUnavailable(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === 'ERR_STORE_UNAVAILABLE';
}

/**
 * What a request that needs an unreachable store is answered: -32603 with a message that says so, and over HTTP 503
 * with `Retry-After` in both eras, so clients and load balancers retry once it is back. The store's own error (hosts,
 * driver text) is logged, not sent.
 */
export function storeUnavailable(): ProtocolError {
  return new ProtocolError(
    ErrorCode.InternalError,
    'Service Unavailable: a shared store is unreachable; retry shortly',
    { retryAfterSeconds: 1 },
    503,
    { headers: { 'retry-after': '1' }, everyEra: true },
  );
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
