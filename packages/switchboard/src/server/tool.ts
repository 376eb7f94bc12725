import { HandlerReturnError, RegistrationError } from '../protocol/errors.js';
import type { CallToolResult, Icon, Params, ToolAnnotations } from '../protocol/messages.js';
import type { ArgumentProblem } from './argument-errors.js';
import { formatArgumentProblems } from './argument-errors.js';
import { isToolResult, text } from './content.js';
import type { Context } from './context.js';
import type { HeaderParam } from './header-params.js';
import { collectHeaderParams } from './header-params.js';
import type { ListItem, ToolTarget } from './middleware/types.js';
import type { InferObject, ObjectInput } from './schema.js';
import { compileObjectSchema } from './schema.js';
import { checkScopes } from './scopes.js';
import { looksLikeToolResult, shapeToolReturn } from './tool-return.js';
import type { Validator } from './validators.js';

/** What a tool handler may return; see `shapeToolResult`. */
export type ToolReturn<O> = [O] extends [undefined] ? unknown : O | CallToolResult;

export interface ToolOptions<I extends ObjectInput | undefined, O extends ObjectInput | undefined> {
  title?: string;
  /** Written for the model: what the tool does and when to use it. */
  description?: string;
  /** Arguments, as a zod object or shape. Validated before the handler runs. */
  input?: I;
  /** Structured result, as a zod object or shape. Validated, then sent as `structuredContent` plus JSON text. */
  output?: O;
  annotations?: ToolAnnotations;
  icons?: Icon[];
  _meta?: Params;
  /**
   * Runs the call as a task (io.modelcontextprotocol/tasks) for 2026-07-28 clients that support it: the client
   * gets a task handle at once and polls for the result. `optional` runs synchronously for other clients;
   * `required` refuses them with -32021. 2025-era clients always get a synchronous result.
   */
  task?: 'optional' | 'required';
  /**
   * When the call becomes a task: `at-once` (default) before the handler runs; `by-handler` when the handler calls
   * `ctx.startTask()` — questions asked before that are ordinary MRTR rounds, and a handler that returns without
   * calling it answers synchronously.
   */
  taskStart?: 'at-once' | 'by-handler';
  /**
   * Longest a call may run. When it is up, `ctx.signal` aborts and the model is told the tool timed out (an
   * `isError` result). Not applied to calls that run as tasks, which are long by design.
   */
  timeoutMs?: number;
  /**
   * OAuth scopes a caller needs for this tool (e.g. `['leads:read']`). With `switchboard-mcp/auth` configured,
   * callers without them do not see the tool in `tools/list` and get a step-up challenge when they call it.
   */
  scopes?: readonly string[];
}

export type ToolHandler<I extends ObjectInput | undefined, O extends ObjectInput | undefined> = (
  args: InferObject<I>,
  ctx: Context,
) =>
  | ToolReturn<O extends ObjectInput ? InferObject<O> : undefined>
  | Promise<ToolReturn<O extends ObjectInput ? InferObject<O> : undefined>>;

/** A tool compiled at registration: schemas, JSON Schema documents and header rules are built once. */
export class CompiledTool {
  readonly name: string;
  /** The `Tool` object `tools/list` returns. */
  readonly definition: Params;
  readonly headerParams: readonly HeaderParam[];
  readonly task: 'optional' | 'required' | undefined;
  readonly taskStart: 'at-once' | 'by-handler';
  readonly timeoutMs: number | undefined;
  /** What middleware sees as `call.target` for a call of this tool. */
  readonly target: ToolTarget;
  /** What list filters see for this tool. */
  readonly listItem: ListItem;
  readonly #input: Validator;
  readonly #output: Validator | undefined;
  readonly #handler: (args: never, ctx: Context) => unknown;

  constructor(
    name: string,
    options: ToolOptions<ObjectInput | undefined, ObjectInput | undefined>,
    handler: (args: never, ctx: Context) => unknown,
  ) {
    this.name = name;
    const input = compileObjectSchema(options.input, 'input', `input schema of tool "${name}"`);
    const output =
      options.output === undefined
        ? undefined
        : compileObjectSchema(options.output, 'output', `output schema of tool "${name}"`);
    this.#input = input.validator;
    this.#output = output?.validator;
    this.#handler = handler;
    this.task = options.task;
    this.taskStart = options.taskStart ?? 'at-once';
    if (options.timeoutMs !== undefined && !(options.timeoutMs > 0)) {
      throw new RegistrationError(`tool "${name}": timeoutMs must be a positive number of milliseconds`);
    }
    this.timeoutMs = options.timeoutMs;
    const inputSchema = input.json;
    this.headerParams = collectHeaderParams(inputSchema, name);
    const definition: Params = { name };
    if (options.title !== undefined) definition.title = options.title;
    if (options.description !== undefined) definition.description = options.description;
    definition.inputSchema = inputSchema;
    if (output !== undefined) definition.outputSchema = output.json;
    if (options.annotations !== undefined) definition.annotations = options.annotations;
    if (options.icons !== undefined) definition.icons = options.icons;
    if (options._meta !== undefined) definition._meta = options._meta;
    this.definition = definition;
    const scopes = checkScopes(options.scopes, `tool "${name}"`);
    this.target = Object.freeze({
      kind: 'tool',
      name,
      scopes,
      annotations: options.annotations,
      meta: options._meta,
    });
    this.listItem = Object.freeze({ kind: 'tool', name, scopes, definition });
  }

  /** Validates arguments; returns the parsed value or an `isError` result that names every bad field. */
  parseArguments(args: unknown): { ok: true; value: unknown } | { ok: false; result: CallToolResult } {
    const checked = this.#input.validate(args ?? {});
    if (checked.ok) return checked;
    return {
      ok: false,
      result: { content: [text(formatArgumentProblems(this.name, checked.problems))], isError: true },
    };
  }

  run(args: unknown, ctx: Context): unknown {
    return this.#handler(args as never, ctx);
  }

  /**
   * Turns whatever the handler returned into a `CallToolResult`: a `toolResult()` passes through; with an output
   * schema the value is validated and sent as `structuredContent` (plus its JSON as text, for older clients);
   * otherwise see `shapeToolReturn`.
   */
  shapeResult(value: unknown): CallToolResult {
    if (isToolResult(value)) return this.#checkStructured(value);
    if (this.#output !== undefined) {
      const checked = this.#output.validate(value);
      if (checked.ok)
        return { content: [text(JSON.stringify(checked.value))], structuredContent: checked.value as Params };
      // The handler may have built the whole result itself (the type allows it) rather than returning the data.
      if (looksLikeToolResult(value)) return this.#checkStructured(value);
      throw new OutputValidationError(this.name, checked.problems);
    }
    return shapeToolReturn(this.name, value);
  }

  #checkStructured(result: CallToolResult): CallToolResult {
    if (this.#output === undefined || result.isError === true) return result;
    const checked = this.#output.validate(result.structuredContent);
    if (!checked.ok) throw new OutputValidationError(this.name, checked.problems);
    return result;
  }
}

/** The handler returned data its own output schema rejects: a server bug, so it is masked like any other. */
export class OutputValidationError extends HandlerReturnError {
  constructor(toolName: string, problems: readonly ArgumentProblem[]) {
    const details = problems.map((p) => `${p.field}: expected ${p.expected}, received ${p.received}`).join('; ');
    super(`Tool "${toolName}" returned a result that does not match its output schema: ${details}`);
  }
}
