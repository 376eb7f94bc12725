import type { Logger } from 'pino';
import { ErrorCode, ProtocolError, SwitchboardError } from '../protocol/errors.js';
import type { Link } from '../protocol/link.js';
import type {
  CreateMessageParams,
  CreateMessageResult,
  ElicitResult,
  InputRequest,
  ListRootsResult,
  LoggingLevel,
  Params,
} from '../protocol/messages.js';
import { LOGGING_LEVELS } from '../protocol/messages.js';
import type { EngineContext, RequestFacts } from '../protocol/request-facts.js';
import { InputRequiredSignal } from '../protocol/request-facts.js';
import { ownEntry } from '../protocol/untrusted.js';
import type { AskOptions, ClientLog, Context, ElicitAnswer } from './context.js';
import { compileElicitationForm } from './elicitation-form.js';
import type { InputMethod } from './input.js';
import { checkClientAnswer, checkInputResponse, KEY_PREFIX, REQUIRED_CAPABILITY } from './input.js';
import type { MiddlewareCall } from './middleware/types.js';
import type { InferObject, ObjectInput } from './schema.js';
import type { TaskRecord } from './tasks/task-record.js';

/** The one object built per request; everything else on it is computed lazily. */
export class RequestContext implements Context, EngineContext {
  readonly #facts: RequestFacts;
  readonly #link: Link;
  readonly #baseLogger: Logger;
  #logger: Logger | undefined;
  #log: ClientLog | undefined;
  #counters: Record<string, number> | undefined;
  /** Input requests this round could not answer; non-empty means the result is `input_required`. */
  pending: Record<string, InputRequest> | undefined;
  /** Set once the call has become a task; from then on questions park the task instead of ending the round. */
  #task: TaskRecord | undefined;
  /** Makes the task when the handler calls startTask() (set by tools/call for `taskStart: 'by-handler'`). */
  taskStarter: (() => Promise<TaskRecord>) | undefined;
  /** The request as middleware sees it, made by the first middleware or list filter that needs it. */
  middlewareCall: MiddlewareCall | undefined;
  #state: Record<string, unknown> | undefined;
  /** Set once the response has gone: the request's stream may be gone too, so nothing more is sent on it. */
  #answered = false;
  #lastProgress = Number.NEGATIVE_INFINITY;
  #deadline: AbortSignal | undefined;
  #combined: AbortSignal | undefined;

  constructor(facts: RequestFacts, link: Link, logger: Logger) {
    this.#facts = facts;
    this.#link = link;
    this.#baseLogger = logger;
  }

  /** A child logger carrying the request id and method, made on first use (most requests never log). */
  get logger(): Logger {
    this.#logger ??= this.#baseLogger.child({ requestId: this.#facts.requestId, method: this.#facts.method });
    return this.#logger;
  }

  get requestId() {
    return this.#facts.requestId;
  }
  get era() {
    return this.#facts.era;
  }
  get protocolVersion() {
    return this.#facts.protocolVersion;
  }
  get client(): Context['client'] {
    return { info: this.#facts.clientInfo, capabilities: this.#facts.clientCapabilities };
  }
  get sessionId() {
    return this.#facts.sessionId;
  }
  get auth() {
    return this.#facts.auth;
  }
  get state(): Record<string, unknown> {
    this.#state ??= {};
    return this.#state;
  }
  get signal() {
    const base = this.#task?.signal ?? this.#link.signal;
    if (this.#deadline === undefined) return base;
    this.#combined ??= AbortSignal.any([base, this.#deadline]);
    return this.#combined;
  }

  /** Aborts `signal` also when `deadline` does (a tool's `timeoutMs`). */
  addDeadline(deadline: AbortSignal): void {
    this.#deadline = deadline;
    this.#combined = undefined;
  }

  get task(): TaskRecord | undefined {
    return this.#task;
  }

  /** Switches this context to the task the call has become. */
  becomeTask(task: TaskRecord): void {
    this.#task = task;
  }

  /**
   * Marks the request answered. 2025-11-25 basic/utilities/progress: notifications stop once the operation is
   * complete; a handler that logs or reports progress later (a stray timer) sends nothing.
   */
  markAnswered(): void {
    this.#answered = true;
  }

  async startTask(): Promise<void> {
    if (this.#task === undefined && this.taskStarter !== undefined) this.#task = await this.taskStarter();
  }
  /** A header of the HTTP request that carried this one; undefined on stdio and in-memory links. */
  transportHeader(name: string): string | undefined {
    return this.#link.header?.(name);
  }
  get progressToken() {
    return this.#facts.progressToken;
  }
  get facts(): Readonly<RequestFacts> {
    return this.#facts;
  }

  get log(): ClientLog {
    if (this.#log === undefined) {
      const log = {} as ClientLog;
      for (const level of LOGGING_LEVELS) log[level] = (data, logger) => this.#sendLog(level, data, logger);
      this.#log = log;
    }
    return this.#log;
  }

  progress(progress: number, total?: number, message?: string): void {
    const token = this.#facts.progressToken;
    // SEP-2663: progress and log messages are not supported on tasks.
    if (token === undefined || this.#task !== undefined || this.#answered || this.#link.signal.aborted) return;
    // 2025-11-25 basic/utilities/progress: the progress value MUST increase with each notification.
    if (!(progress > this.#lastProgress)) return;
    this.#lastProgress = progress;
    const params: Params = { progressToken: token, progress };
    if (total !== undefined) params.total = total;
    if (message !== undefined) params.message = message;
    this.#link.notify('notifications/progress', params);
  }

  elicit<F extends ObjectInput>(message: string, form: F, options?: AskOptions): Promise<ElicitAnswer<InferObject<F>>>;
  elicit(params: Params, options?: AskOptions): Promise<ElicitResult>;
  async elicit(
    messageOrParams: string | Params,
    formOrOptions?: ObjectInput | AskOptions,
    options?: AskOptions,
  ): Promise<unknown> {
    const form = typeof messageOrParams === 'string' ? (formOrOptions as ObjectInput) : undefined;
    const ask = typeof messageOrParams === 'string' ? options : (formOrOptions as AskOptions | undefined);
    const compiled = form === undefined ? undefined : compileElicitationForm(form);
    const params =
      typeof messageOrParams === 'string'
        ? {
            mode: 'form',
            message: messageOrParams,
            requestedSchema: compiled?.json ?? { type: 'object', properties: {} },
          }
        : messageOrParams;
    const result = (await this.#ask('elicitation/create', params, ask?.key)) as ElicitResult;
    if (compiled === undefined || result.action !== 'accept') return result;
    const checked = compiled.validator.validate(result.content ?? {});
    if (!checked.ok) {
      const details = checked.problems.map((p) => `${p.field}: expected ${p.expected}`).join('; ');
      throw new SwitchboardError('ERR_INPUT_UNAVAILABLE', `The user's answer did not fit the form: ${details}`);
    }
    return { action: 'accept', content: checked.value };
  }

  async sample(params: CreateMessageParams | string, options?: AskOptions): Promise<CreateMessageResult> {
    const full: Params =
      typeof params === 'string'
        ? { messages: [{ role: 'user', content: { type: 'text', text: params } }], maxTokens: 1000 }
        : params;
    return (await this.#ask('sampling/createMessage', full, options?.key)) as CreateMessageResult;
  }

  async listRoots(options?: AskOptions): Promise<ListRootsResult> {
    return (await this.#ask('roots/list', {}, options?.key)) as ListRootsResult;
  }

  async #ask(method: InputMethod, params: Params, explicitKey: string | undefined): Promise<Params> {
    const capability = REQUIRED_CAPABILITY[method];
    if (this.#facts.clientCapabilities[capability] === undefined) {
      if (this.#facts.era === 'modern') {
        // 2026-07-28 basic/index §_meta: a server MUST NOT rely on capabilities the client has not declared.
        throw new ProtocolError(
          ErrorCode.MissingRequiredClientCapability,
          `This request needs the client capability "${capability}"`,
          { requiredCapabilities: { [capability]: {} } },
          400,
        );
      }
      throw new SwitchboardError('ERR_INPUT_UNAVAILABLE', `The client does not support ${method}`);
    }
    if (this.#task !== undefined) return this.#task.ask(method, params, explicitKey ?? this.#nextKey(method));
    if (this.#answered) {
      throw new SwitchboardError('ERR_INPUT_UNAVAILABLE', `${method} was asked after the request was answered`);
    }
    if (this.#facts.era === 'legacy') {
      const request = this.#link.request;
      if (request === undefined) {
        throw new SwitchboardError(
          'ERR_INPUT_UNAVAILABLE',
          `${method} needs a session with a stream back to the client`,
        );
      }
      return checkClientAnswer(method, await request(method, params, this.#link.signal));
    }
    const key = explicitKey ?? this.#nextKey(method);
    const inputs = this.#facts.inputs;
    const answer = inputs === undefined ? undefined : ownEntry(inputs, key);
    if (answer !== undefined) return checkInputResponse(method, key, answer);
    this.pending ??= {};
    this.pending[key] = { method, params };
    throw new InputRequiredSignal();
  }

  /** Keys are assigned in call order, so a deterministic handler asks the same keys on every round. */
  #nextKey(method: InputMethod): string {
    this.#counters ??= {};
    const prefix = KEY_PREFIX[method];
    const n = (this.#counters[prefix] ?? 0) + 1;
    this.#counters[prefix] = n;
    return `${prefix}-${n}`;
  }

  #sendLog(level: LoggingLevel, data: unknown, logger: string | undefined): void {
    const minimum = this.#facts.logLevel;
    if (this.#task !== undefined || this.#answered) return;
    if (
      minimum === undefined ||
      LOGGING_LEVELS.indexOf(level) < LOGGING_LEVELS.indexOf(minimum) ||
      this.#link.signal.aborted
    )
      return;
    const params: Params = { level, data };
    if (logger !== undefined) params.logger = logger;
    this.#link.notify('notifications/message', params);
  }
}
