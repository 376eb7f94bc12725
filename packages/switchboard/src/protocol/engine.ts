import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { AuthInfo } from './auth.js';
import { ANONYMOUS, principalKey } from './auth.js';
import { ErrorCode, HandlerReturnError, isStoreUnavailable, ProtocolError, storeUnavailable } from './errors.js';
import { encodeError, encodeId, encodeResult, stringifyJson } from './jsonrpc.js';
import type { Link } from './link.js';
import type { ClientCapabilities, Implementation, JsonRpcRequest, Params, RequestId, Result } from './messages.js';
import { isLoggingLevel } from './messages.js';
import type { Call, Interceptor, MethodSpec, MethodTable, SessionSlot } from './method-table.js';
import type { EngineContext, RequestFacts } from './request-facts.js';
import { InputRequiredSignal } from './request-facts.js';
import type { RequestStateCodec } from './request-state.js';
import { digestRequest } from './request-state.js';
import { describeValue, exceedsDepth, isPlainObject as isObject, MAX_JSON_DEPTH } from './untrusted.js';
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
  auth?: AuthInfo | undefined;
}

/** What transports need of the engine: one request in, one reply out. */
export interface Dispatcher {
  handleRequest(message: JsonRpcRequest, scope: Scope): Promise<Reply>;
}

export interface EngineOptions<C extends EngineContext> {
  methods: MethodTable<C>;
  serverInfo: Implementation;
  codec: RequestStateCodec;
  logger: Logger;
  /** Builds the per-request context handlers see (the server's `RequestContext`). */
  createContext: (facts: RequestFacts, link: Link) => C;
  /** Read on every request, so interceptors added after start apply; `current` undefined costs nothing. */
  interceptor?: { readonly current: Interceptor<C> | undefined };
}

const EMPTY_PARAMS: Params = Object.freeze({}) as Params;

/** -32602 for params nested past the limit, before digest, validation or serialisation walk them. */
const TOO_DEEP = new ProtocolError(
  ErrorCode.InvalidParams,
  `Invalid params: values may nest at most ${MAX_JSON_DEPTH} levels deep`,
  undefined,
  400,
);

/**
 * Dispatches one JSON-RPC request of either era to the method table. The era is read from the body first
 * (2026-07-28 basic/versioning: a request carrying per-request `_meta` is served statelessly; anything else
 * belongs to the `initialize` era).
 */
export class Engine<C extends EngineContext = EngineContext> implements Dispatcher {
  readonly #methods: MethodTable<C>;
  readonly #logger: Logger;
  readonly #codec: RequestStateCodec;
  readonly #serverInfoMeta: Params;
  /** `,"_meta":{…server identity…}}`: the end of a plain 2026-07-28 result, serialized once rather than per call. */
  readonly #serverInfoTail: string;
  readonly #createContext: (facts: RequestFacts, link: Link) => C;
  readonly #interceptor: { readonly current: Interceptor<C> | undefined } | undefined;

  constructor(options: EngineOptions<C>) {
    this.#methods = options.methods;
    this.#codec = options.codec;
    this.#logger = options.logger;
    this.#createContext = options.createContext;
    this.#interceptor = options.interceptor;
    this.#serverInfoMeta = Object.freeze({ [META.serverInfo]: options.serverInfo }) as Params;
    this.#serverInfoTail = `,"_meta":${stringifyJson(this.#serverInfoMeta)}}`;
  }

  async handleRequest(message: JsonRpcRequest, scope: Scope): Promise<Reply> {
    const params = message.params ?? EMPTY_PARAMS;
    const meta = params._meta as Params | undefined;
    const modern = meta !== undefined && isObject(meta) && meta[META.protocolVersion] !== undefined;
    try {
      if (exceedsDepth(params)) throw TOO_DEEP;
      const facts = modern ? this.#modernFacts(message, params, meta) : legacyFacts(message, params, scope.session);
      facts.auth = scope.auth ?? ANONYMOUS;
      const spec = this.#methods.get(message.method);
      if (spec === undefined || (spec.era !== 'both' && spec.era !== facts.era)) {
        // 2026-07-28 transports/streamable-http: an unimplemented method is 404 with -32601.
        throw new ProtocolError(
          ErrorCode.MethodNotFound,
          `Method not found: ${describeValue(message.method)}`,
          undefined,
          modern ? 404 : 200,
        );
      }
      const round = modern && spec.mrtrTarget !== undefined ? this.#openRound(spec, message, params, facts) : undefined;
      const call: Call<C> = {
        params,
        ctx: this.#createContext(facts, scope.link),
        link: scope.link,
        session: scope.session,
      };
      const intercept = this.#interceptor?.current;
      let result: Result;
      try {
        if (intercept !== undefined) {
          result = await intercept(call, () =>
            round === undefined ? run(spec, call, message.method) : this.#runRound(spec, call, round),
          );
        } else {
          result =
            round === undefined
              ? definite(await spec.handle(call), message.method)
              : await this.#runRound(spec, call, round);
        }
      } finally {
        call.ctx.markAnswered();
      }
      return {
        status: 200,
        body: modern ? this.#encodeModern(message.id, spec, result) : encodeResult(message.id, result),
      };
    } catch (error) {
      return this.#errorReply(message, error, modern);
    }
  }

  #modernFacts(message: JsonRpcRequest, params: Params, meta: Params): RequestFacts {
    const version = meta[META.protocolVersion];
    if (typeof version !== 'string') {
      throw new ProtocolError(
        ErrorCode.InvalidParams,
        `_meta["${META.protocolVersion}"] must be a string`,
        undefined,
        400,
      );
    }
    if (version !== MODERN_VERSION) {
      // 2026-07-28 basic/versioning: an unsupported version MUST get UnsupportedProtocolVersionError.
      throw new ProtocolError(
        ErrorCode.UnsupportedProtocolVersion,
        'Unsupported protocol version',
        { supported: SUPPORTED_VERSIONS, requested: describeValue(version) },
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
      params,
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

  /**
   * The response to a 2026-07-28 request: its result decorated as `#decorate` says. A plain result (no `resultType`,
   * `_meta` or `toJSON` of its own, no caching hints) is written around the server identity serialized once; the
   * text is the same as the decorated object's.
   */
  #encodeModern(id: RequestId, spec: MethodSpec<C>, result: Result): string {
    if (
      spec.cache === undefined &&
      result.resultType === undefined &&
      result._meta === undefined &&
      result.toJSON === undefined
    ) {
      const fields = stringifyJson(result);
      if (fields.length > 2) {
        return `{"jsonrpc":"2.0","id":${encodeId(id)},"result":{"resultType":"complete",${fields.slice(1, -1)}${this.#serverInfoTail}}`;
      }
    }
    return encodeResult(id, this.#decorate(spec, result));
  }

  /** 2026-07-28 results carry the server's identity and, when complete, the method's caching hints. */
  #decorate(spec: MethodSpec<C>, result: Result): Result {
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

  /** Verifies earlier MRTR rounds' `requestState` and gathers the answers this round may use. */
  #openRound(spec: MethodSpec<C>, message: JsonRpcRequest, params: Params, facts: RequestFacts): Round {
    const target = spec.mrtrTarget as (params: Params) => string;
    const principal = principalKey(facts.auth);
    const round: Round = { method: message.method, principal, digest: undefined, target, inputs: undefined };
    if (params.requestState !== undefined) {
      round.digest = digestRequest(message.method, target(params), params.arguments);
      round.inputs = { ...this.#codec.open(params.requestState, round.digest, principal).responses };
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
      round.inputs = { ...round.inputs, ...params.inputResponses };
    }
    facts.inputs = round.inputs;
    return round;
  }

  /** One MRTR round: run the handler, and ask for input if it needs some. */
  async #runRound(spec: MethodSpec<C>, call: Call<C>, round: Round): Promise<Result> {
    let result: Result | undefined;
    try {
      result = await spec.handle(call);
    } catch (error) {
      if (!(error instanceof InputRequiredSignal) && call.ctx.pending === undefined) throw error;
    }
    const { ctx } = call;
    // A handler that caught the signal and carried on still needs the input it asked for.
    if (ctx.pending === undefined) return definite(result, round.method);
    round.digest ??= digestRequest(round.method, round.target(call.params), call.params.arguments);
    const requestState = this.#codec.seal({
      request: round.digest,
      principal: round.principal,
      expires: Date.now() + this.#codec.ttlMs,
      responses: round.inputs ?? {},
    });
    return { resultType: 'input_required', inputRequests: ctx.pending, requestState };
  }

  #errorReply(message: JsonRpcRequest, error: unknown, modern: boolean): Reply {
    if (isStoreUnavailable(error)) {
      // An outage, not a bug: the client is told to retry, the log says which store and why.
      this.#logger.error({ err: error, method: message.method }, 'request failed: a shared store is unreachable');
      error = storeUnavailable();
    }
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

/** What one MRTR round carries from its opening to its `requestState`. */
interface Round {
  readonly method: string;
  readonly principal: string;
  digest: string | undefined;
  readonly target: (params: Params) => string;
  inputs: Record<string, unknown> | undefined;
}

async function run<C extends EngineContext>(spec: MethodSpec<C>, call: Call<C>, method: string): Promise<Result> {
  return definite(await spec.handle(call), method);
}

/** A method that produced nothing is a server bug; it must not go out as `"result": undefined`. */
function definite(result: Result | undefined, method: string): Result {
  if (result === undefined) throw new HandlerReturnError(`The handler of ${method} returned no result`);
  return result;
}

function progressTokenOf(meta: Params | undefined): string | number | undefined {
  const token = meta?.progressToken;
  return typeof token === 'string' || typeof token === 'number' ? token : undefined;
}

function legacyFacts(message: JsonRpcRequest, params: Params, session: SessionSlot | undefined): RequestFacts {
  const state = session?.state;
  return {
    requestId: message.id,
    method: message.method,
    params,
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
