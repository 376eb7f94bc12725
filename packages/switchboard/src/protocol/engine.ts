import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { RequestFacts } from '../server/context.js';
import { RequestContext } from '../server/context.js';
import { InputRequiredSignal } from '../server/input.js';
import type { AuthInfo } from './auth.js';
import { ANONYMOUS, principalKey } from './auth.js';
import { ErrorCode, ProtocolError } from './errors.js';
import { encodeError, encodeResult } from './jsonrpc.js';
import type { Link } from './link.js';
import type { ClientCapabilities, Implementation, JsonRpcRequest, Params, Result } from './messages.js';
import { isLoggingLevel } from './messages.js';
import type { MethodSpec, MethodTable, SessionSlot } from './method-table.js';
import type { RequestStateCodec } from './request-state.js';
import { digestRequest } from './request-state.js';
import { LATEST_LEGACY_VERSION, META, MODERN_VERSION, SUPPORTED_VERSIONS } from './versions.js';

/** What the engine hands back: the encoded JSON-RPC response and the HTTP status it calls for. */
export interface Reply {
  status: number;
  body: string;
  /** Extra HTTP response headers an error asked for (`WWW-Authenticate`, `Retry-After`). */
  headers?: Readonly<Record<string, string>>;
}

/** Per-request inputs from the transport. */
export interface Scope {
  link: Link;
  /** The 2025-era session (or stdio connection); undefined where the transport keeps none. */
  session: SessionSlot | undefined;
  auth?: AuthInfo;
}

const EMPTY_PARAMS: Params = Object.freeze({}) as Params;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Dispatches one JSON-RPC request of either era to the method table. The era is read from the body first
 * (2026-07-28 basic/versioning: a request carrying per-request `_meta` is served statelessly; anything else
 * belongs to the `initialize` era).
 */
export class Engine {
  readonly #methods: MethodTable;
  readonly #logger: Logger;
  readonly #codec: RequestStateCodec;
  readonly #serverInfoMeta: Params;

  constructor(methods: MethodTable, serverInfo: Implementation, codec: RequestStateCodec, logger: Logger) {
    this.#methods = methods;
    this.#codec = codec;
    this.#logger = logger;
    this.#serverInfoMeta = Object.freeze({ [META.serverInfo]: serverInfo }) as Params;
  }

  async handleRequest(message: JsonRpcRequest, scope: Scope): Promise<Reply> {
    const params = message.params ?? EMPTY_PARAMS;
    const meta = params._meta as Params | undefined;
    const modern = meta !== undefined && isObject(meta) && meta[META.protocolVersion] !== undefined;
    try {
      const facts = modern ? this.#modernFacts(message, meta) : legacyFacts(message, scope.session);
      facts.auth = scope.auth ?? ANONYMOUS;
      const spec = this.#methods.get(message.method);
      if (spec === undefined || (spec.era !== 'both' && spec.era !== facts.era)) {
        // 2026-07-28 transports/streamable-http: an unimplemented method is 404 with -32601.
        throw new ProtocolError(
          ErrorCode.MethodNotFound,
          `Method not found: ${message.method}`,
          undefined,
          modern ? 404 : 200,
        );
      }
      const result = modern
        ? await this.#runModern(spec, message, params, facts, scope)
        : await run(spec, params, facts, scope, this.#logger);
      return { status: 200, body: encodeResult(message.id, result) };
    } catch (error) {
      return this.#errorReply(message, error, modern);
    }
  }

  #modernFacts(message: JsonRpcRequest, meta: Params): RequestFacts {
    const version = meta[META.protocolVersion];
    if (version !== MODERN_VERSION) {
      // 2026-07-28 basic/versioning: an unsupported version MUST get UnsupportedProtocolVersionError.
      throw new ProtocolError(
        ErrorCode.UnsupportedProtocolVersion,
        'Unsupported protocol version',
        { supported: SUPPORTED_VERSIONS, requested: String(version) },
        400,
      );
    }
    const capabilities = meta[META.clientCapabilities];
    if (!isObject(capabilities)) {
      // 2026-07-28 basic/index §_meta: a request missing a required field MUST get -32602 (HTTP 400).
      throw new ProtocolError(
        ErrorCode.InvalidParams,
        `_meta["${META.clientCapabilities}"] is required and must be an object`,
        undefined,
        400,
      );
    }
    const logLevel = meta[META.logLevel];
    if (logLevel !== undefined && !isLoggingLevel(logLevel)) {
      throw new ProtocolError(
        ErrorCode.InvalidParams,
        `_meta["${META.logLevel}"] is not a logging level`,
        undefined,
        400,
      );
    }
    const clientInfo = meta[META.clientInfo];
    return {
      requestId: message.id,
      method: message.method,
      era: 'modern',
      protocolVersion: MODERN_VERSION,
      clientCapabilities: capabilities as ClientCapabilities,
      clientInfo: isObject(clientInfo) ? (clientInfo as Implementation) : undefined,
      sessionId: undefined,
      auth: ANONYMOUS,
      // 2026-07-28 server/utilities/logging: no level in `_meta` means no log messages for this request.
      logLevel: isLoggingLevel(logLevel) ? logLevel : undefined,
      progressToken: progressTokenOf(meta),
      inputs: undefined,
    };
  }

  async #runModern(
    spec: MethodSpec,
    message: JsonRpcRequest,
    params: Params,
    facts: RequestFacts,
    scope: Scope,
  ): Promise<Result> {
    let result: Result;
    if (spec.mrtrTarget === undefined) {
      result = await run(spec, params, facts, scope, this.#logger);
    } else {
      result = await this.#runRound(spec, spec.mrtrTarget, message, params, facts, scope);
    }
    const decorated: Result = {
      resultType: 'complete',
      ...result,
      _meta:
        result._meta === undefined ? this.#serverInfoMeta : { ...this.#serverInfoMeta, ...(result._meta as Params) },
    };
    if (spec.cache !== undefined && decorated.resultType === 'complete') {
      decorated.ttlMs ??= spec.cache.ttlMs;
      decorated.cacheScope ??= spec.cache.cacheScope;
    }
    return decorated;
  }

  /** One MRTR round: verify earlier rounds' state, run the handler, and ask for input if it needs some. */
  async #runRound(
    spec: MethodSpec,
    target: (params: Params) => string,
    message: JsonRpcRequest,
    params: Params,
    facts: RequestFacts,
    scope: Scope,
  ): Promise<Result> {
    const principal = principalKey(facts.auth);
    let digest: string | undefined;
    let inputs: Record<string, unknown> | undefined;
    if (params.requestState !== undefined) {
      digest = digestRequest(message.method, target(params), params.arguments);
      inputs = { ...this.#codec.open(params.requestState, digest, principal).responses };
    }
    if (params.inputResponses !== undefined) {
      if (!isObject(params.inputResponses)) {
        throw new ProtocolError(
          ErrorCode.InvalidParams,
          'inputResponses must be an object keyed by input request',
          undefined,
          400,
        );
      }
      inputs = { ...inputs, ...params.inputResponses };
    }
    facts.inputs = inputs;
    const ctx = new RequestContext(facts, scope.link, this.#logger);
    let result: Result | undefined;
    try {
      result = await spec.handle({ params, ctx, link: scope.link, session: scope.session });
    } catch (error) {
      if (!(error instanceof InputRequiredSignal) && ctx.pending === undefined) throw error;
    } finally {
      ctx.markAnswered();
    }
    // A handler that caught the signal and carried on still needs the input it asked for.
    if (ctx.pending === undefined) return definite(result, message.method);
    digest ??= digestRequest(message.method, target(params), params.arguments);
    const requestState = this.#codec.seal({
      request: digest,
      principal,
      expires: Date.now() + this.#codec.ttlMs,
      responses: inputs ?? {},
    });
    return { resultType: 'input_required', inputRequests: ctx.pending, requestState };
  }

  #errorReply(message: JsonRpcRequest, error: unknown, modern: boolean): Reply {
    if (error instanceof ProtocolError) {
      const http = modern || error.everyEra;
      const reply: Reply = {
        status: http ? error.httpStatus : 200,
        body: encodeError(message.id, error.rpcCode, error.message, error.data),
      };
      if (http && error.httpHeaders !== undefined) reply.headers = error.httpHeaders;
      return reply;
    }
    const correlationId = randomUUID();
    this.#logger.error({ err: error, correlationId, method: message.method }, 'request failed');
    const text = `Internal error while handling ${message.method} (correlation id ${correlationId})`;
    return {
      status: modern ? 500 : 200,
      body: encodeError(message.id, ErrorCode.InternalError, text, { correlationId }),
    };
  }
}

async function run(
  spec: MethodSpec,
  params: Params,
  facts: RequestFacts,
  scope: Scope,
  logger: Logger,
): Promise<Result> {
  const ctx = new RequestContext(facts, scope.link, logger);
  try {
    return definite(await spec.handle({ params, ctx, link: scope.link, session: scope.session }), facts.method);
  } finally {
    ctx.markAnswered();
  }
}

/** A method that produced nothing is a server bug; it must not go out as `"result": undefined`. */
function definite(result: Result | undefined, method: string): Result {
  if (result === undefined) throw new Error(`The handler of ${method} returned no result`);
  return result;
}

function progressTokenOf(meta: Params | undefined): string | number | undefined {
  const token = meta?.progressToken;
  return typeof token === 'string' || typeof token === 'number' ? token : undefined;
}

function legacyFacts(message: JsonRpcRequest, session: SessionSlot | undefined): RequestFacts {
  const state = session?.state;
  return {
    requestId: message.id,
    method: message.method,
    era: 'legacy',
    protocolVersion: state?.protocolVersion ?? LATEST_LEGACY_VERSION,
    clientCapabilities: state?.clientCapabilities ?? {},
    clientInfo: state?.clientInfo,
    sessionId: session?.id,
    auth: ANONYMOUS,
    // 2025-11-25 server/utilities/logging: until the client sets a level the server decides; we send all.
    logLevel: state?.logLevel ?? 'debug',
    progressToken: progressTokenOf(message.params?._meta as Params | undefined),
    inputs: undefined,
  };
}
