import type { Attributes, Context, Span, Tracer, TracerProvider } from '@opentelemetry/api';
import { context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { Result } from '../protocol/messages.js';
import type { Middleware, MiddlewareCall } from '../server/middleware/types.js';
import { errorCodeOf } from './outcome.js';
import { parentContext } from './trace-context.js';

export interface TracingOptions {
  /** Where spans go (default: the global provider the OpenTelemetry SDK registers; without one, nowhere). */
  tracerProvider?: TracerProvider;
  /** Instrumentation scope name (default `switchboard-mcp`). */
  name?: string;
}

/**
 * OpenTelemetry spans through `@opentelemetry/api` only: a SERVER span per request named `{method} {target}`, with
 * the MCP semantic conventions' attributes, continuing the client's trace from `_meta` or the HTTP `traceparent`;
 * inside a `tools/call`, an `execute_tool {name}` span around the tool. Handlers' own spans nest below.
 */
export function tracing(options: TracingOptions = {}): Middleware {
  const name = options.name ?? 'switchboard-mcp';
  let tracer: Tracer | undefined;
  // Resolved on first use, so an SDK registered after the server was built still receives the spans.
  const tracerOf = () => {
    tracer ??= (options.tracerProvider ?? trace.getTracerProvider()).getTracer(name);
    return tracer;
  };
  return async (call, next) => {
    const target = targetName(call);
    const parent = parentContext(call, context.active());
    const span = tracerOf().startSpan(
      target === undefined ? call.method : `${call.method} ${target}`,
      { kind: SpanKind.SERVER },
      parent,
    );
    // A no-op tracer (no SDK registered) or an unsampled trace records nothing: build no attributes, no tool span.
    const recording = span.isRecording();
    if (recording) span.setAttributes(requestAttributes(call));
    return within(span, parent, (active) =>
      recording && call.method === 'tools/call' && target !== undefined
        ? context.with(active, () => runTool(tracerOf(), target, active, next))
        : context.with(active, next),
    );
  };
}

function runTool(tracer: Tracer, tool: string, parent: Context, next: () => Promise<Result>): Promise<Result> {
  const span = tracer.startSpan(
    `execute_tool ${tool}`,
    { kind: SpanKind.INTERNAL, attributes: { 'gen_ai.operation.name': 'execute_tool', 'gen_ai.tool.name': tool } },
    parent,
  );
  return within(span, parent, (active) => context.with(active, next));
}

/** Runs `work` with `span` active below `parent`, and ends the span with its result or its error. */
async function within(span: Span, parent: Context, work: (active: Context) => Promise<Result>): Promise<Result> {
  try {
    const result = await work(trace.setSpan(parent, span));
    endWith(span, result);
    return result;
  } catch (error) {
    fail(span, error);
    throw error;
  } finally {
    span.end();
  }
}

/** The low-cardinality target of the span name: the tool's or prompt's name (never a resource URI). */
function targetName(call: MiddlewareCall): string | undefined {
  const params = call.params;
  if ((call.method === 'tools/call' || call.method === 'prompts/get') && typeof params.name === 'string') {
    return call.target === undefined ? undefined : params.name;
  }
  return undefined;
}

function requestAttributes(call: MiddlewareCall): Attributes {
  const ctx = call.ctx;
  const attributes: Attributes = {
    'mcp.method.name': call.method,
    'mcp.protocol.version': ctx.protocolVersion,
    'jsonrpc.request.id': String(ctx.requestId),
    'network.transport': call.header('host') === undefined ? 'pipe' : 'tcp',
  };
  if (ctx.sessionId !== undefined) attributes['mcp.session.id'] = ctx.sessionId;
  const params = call.params;
  if (call.method === 'tools/call' && typeof params.name === 'string') {
    attributes['gen_ai.tool.name'] = params.name;
    attributes['gen_ai.operation.name'] = 'execute_tool';
  } else if (call.method === 'prompts/get' && typeof params.name === 'string') {
    attributes['gen_ai.prompt.name'] = params.name;
  }
  if (typeof params.uri === 'string') attributes['mcp.resource.uri'] = params.uri;
  return attributes;
}

function endWith(span: Span, result: Result): void {
  // MCP semantic conventions: a tool result with isError true is an error of type `tool_error`.
  if (result.isError === true) {
    span.setAttribute('error.type', 'tool_error');
    span.setStatus({ code: SpanStatusCode.ERROR });
  }
}

function fail(span: Span, error: unknown): void {
  const code = errorCodeOf(error);
  if (code !== undefined) span.setAttribute('rpc.response.status_code', String(code));
  span.setAttribute('error.type', code !== undefined ? String(code) : error instanceof Error ? error.name : 'Error');
  span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : undefined });
}
