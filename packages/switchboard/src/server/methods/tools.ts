import { principalKey } from '../../protocol/auth.js';
import { ErrorCode, invalidParams, ProtocolError, ToolError } from '../../protocol/errors.js';
import type { CallToolResult, Params } from '../../protocol/messages.js';
import { stringOf } from '../../protocol/untrusted.js';
import type { ServerCore } from '../core.js';
import { visibleDefinitions } from '../middleware/list-filter.js';
import type { RequestContext } from '../request-context.js';
import { missingTasksExtension, TASKS_EXTENSION } from '../tasks/task-manager.js';
import type { TaskRecord } from '../tasks/task-record.js';
import type { CompiledTool } from '../tool.js';
import { listPage, paginate } from './pagination.js';
import type { ServerCall, ServerMethod } from './server-method.js';
import { toolFailure } from './tool-failure.js';

export function toolMethods(core: ServerCore): Record<string, ServerMethod> {
  return {
    'tools/list': {
      era: 'both',
      cache: core.listCache,
      handle: ({ params, ctx }) =>
        listPage(
          core,
          ctx,
          paginate(
            visibleDefinitions(core, ctx, core.tools.list(), core.tools.definitions()),
            'tools',
            params.cursor,
            core.pageSize,
          ),
        ),
    },
    'tools/call': {
      era: 'both',
      mrtrTarget: (params) => stringOf(params.name) ?? '',
      handle: (call) => callTool(core, call),
    },
  };
}

async function callTool(core: ServerCore, { params, ctx }: ServerCall): Promise<Params> {
  const name = params.name;
  if (typeof name !== 'string') throw invalidParams('tools/call needs params.name');
  const tool = core.tools.get(name);
  if (tool === undefined) {
    throw invalidParams(`Unknown tool "${name}". ${availableTools(core)}`);
  }
  const args = tool.parseArguments(params.arguments);
  if (!args.ok) return args.result;
  if (tool.task !== undefined && ctx.era === 'modern') {
    if (ctx.client.capabilities.extensions?.[TASKS_EXTENSION] !== undefined)
      return await runAsTask(core, tool, args.value, ctx);
    if (tool.task === 'required') {
      // SEP-2663 §Capability Negotiation: a call that can only run as a task gets -32021 naming the extension.
      throw missingTasksExtension(`Tool "${name}" runs only as a task and`);
    }
  }
  const result = executeTool(tool, args.value, ctx, tool.timeoutMs);
  // A promise is awaited (an async function that returns one pays two more microtask ticks to adopt it); a result
  // is returned as it is.
  return result instanceof Promise ? await result : result;
}

const NAMED_IN_ERROR = 20;

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as { then?: unknown } | null | undefined)?.then === 'function';
}

/** Names the tools a model could call instead; a long catalogue is cut short rather than flooding the context. */
function availableTools(core: ServerCore): string {
  const tools = core.tools.list();
  if (tools.length === 0) return 'This server has no tools.';
  const named = tools.slice(0, NAMED_IN_ERROR).map((t) => t.name);
  const more = tools.length - named.length;
  return `Available tools: ${named.join(', ')}${more > 0 ? ` and ${more} more (see tools/list)` : ''}.`;
}

/**
 * Runs the handler and turns every outcome into a result the model can read (or a protocol error). A handler that
 * answers synchronously (most do) gets its result back synchronously: no promise and no microtask turn of its own.
 */
function executeTool(
  tool: CompiledTool,
  args: unknown,
  ctx: RequestContext,
  limit?: number,
): CallToolResult | Promise<CallToolResult> {
  let value: unknown;
  try {
    value = limit === undefined ? tool.run(args, ctx) : runWithDeadline(tool, args, ctx, limit);
    if (!isThenable(value)) return tool.shapeResult(value);
  } catch (error) {
    return toolFailure(error, tool.name, ctx.logger);
  }
  return finishTool(tool, value, ctx);
}

async function finishTool(tool: CompiledTool, pending: PromiseLike<unknown>, ctx: RequestContext) {
  try {
    return tool.shapeResult(await pending);
  } catch (error) {
    return toolFailure(error, tool.name, ctx.logger);
  }
}

/** `executeTool` as a promise, for the tasks path, which settles it later (a synchronous throw becomes a rejection). */
async function executeToolLater(tool: CompiledTool, args: unknown, ctx: RequestContext): Promise<CallToolResult> {
  return executeTool(tool, args, ctx);
}

/**
 * Runs a handler that has `timeoutMs`: when time is up its `ctx.signal` aborts (so it can stop its work) and the
 * call answers with a `ToolError` the model can act on, without waiting for the handler to notice.
 */
async function runWithDeadline(tool: CompiledTool, args: unknown, ctx: RequestContext, ms: number): Promise<unknown> {
  const deadline = new AbortController();
  ctx.addDeadline(deadline.signal);
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      // Settle first: a handler that answers the abort at once must not win the race with its late result.
      reject(
        new ToolError(
          `Tool "${tool.name}" did not finish within ${ms} ms and was stopped. Retry with a smaller request, or try later.`,
        ),
      );
      deadline.abort();
    }, ms);
  });
  try {
    return await Promise.race([tool.run(args, ctx), expired]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The tasks path (SEP-2663). `at-once`: the task exists before the handler runs. `by-handler`: the handler runs
 * as an ordinary request (MRTR questions included) and becomes a task when it calls ctx.startTask(); if it
 * finishes first, its result is answered directly.
 */
async function runAsTask(core: ServerCore, tool: CompiledTool, args: unknown, ctx: RequestContext): Promise<Params> {
  const principal = principalKey(ctx.auth);
  if (tool.taskStart === 'at-once') {
    const task = await core.tasks.create(principal);
    ctx.becomeTask(task);
    settle(task, executeToolLater(tool, args, ctx), core.tasks.maxResultBytes);
    return task.createResult();
  }
  let started!: (task: TaskRecord) => void;
  const escalated = new Promise<TaskRecord>((resolve) => {
    started = resolve;
  });
  ctx.taskStarter = async () => {
    const task = await core.tasks.create(principal);
    started(task);
    return task;
  };
  const running = executeToolLater(tool, args, ctx);
  const first = await Promise.race([running.then((result) => ({ result })), escalated.then((task) => ({ task }))]);
  if ('result' in first) return first.result;
  settle(first.task, running, core.tasks.maxResultBytes);
  return first.task.createResult();
}

/**
 * Records how the background handler ended: a result (even isError) completes the task; a protocol error fails it,
 * and so does a result larger than the store keeps for a task (it would stay in memory for the task's lifetime).
 */
function settle(task: TaskRecord, running: Promise<CallToolResult>, maxBytes: number): void {
  running.then(
    (result) => {
      const bytes = Buffer.byteLength(JSON.stringify(result));
      if (bytes <= maxBytes) return task.complete(result);
      task.fail({
        code: ErrorCode.InternalError,
        message: `The task's result is ${bytes} bytes; this server keeps at most ${maxBytes} bytes per task result`,
      });
    },
    (error: unknown) =>
      task.fail(
        error instanceof ProtocolError
          ? { code: error.rpcCode, message: error.message, data: error.data }
          : { code: ErrorCode.InternalError, message: 'Internal error' },
      ),
  );
}
