import { SwitchboardError } from '../protocol/errors.js';

/** A JSON-RPC error the server answered a request with. */
export class RpcError extends SwitchboardError {
  /** The JSON-RPC error code (the stable string code is `ERR_RPC`). */
  readonly rpcCode: number;
  readonly data: unknown;
  constructor(code: number, message: string, data?: unknown) {
    super('ERR_RPC', message);
    this.rpcCode = code;
    this.data = data;
  }
}

/**
 * The server could not be talked to: it did not start, closed the connection, answered HTTP with something that is
 * not MCP, or needs authorization (`status` 401/403, with its `WWW-Authenticate` challenge).
 */
export class ConnectionError extends SwitchboardError {
  readonly status: number | undefined;
  readonly challenge: string | undefined;
  constructor(message: string, details: { status?: number; challenge?: string; cause?: unknown } = {}) {
    super('ERR_CONNECTION', message);
    if (details.cause !== undefined) this.cause = details.cause;
    this.status = details.status;
    this.challenge = details.challenge;
  }
}
