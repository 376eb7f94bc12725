import { randomUUID } from 'node:crypto';
import { invalidParams, ProtocolError, SwitchboardError, ToolError } from '../../protocol/errors.js';
import type { CallToolResult } from '../../protocol/messages.js';
import type { Call, MethodSpec } from '../../protocol/method-table.js';
import { SWITCHBOARD_META_PREFIX } from '../../protocol/versions.js';
import { text } from '../content.js';
import type { ServerCore } from '../core.js';
import { InputRequiredSignal } from '../input.js';
import { paginate } from './pagination.js';

export const CORRELATION_META = `${SWITCHBOARD_META_PREFIX}correlationId`;

export function toolMethods(core: ServerCore): Record<string, MethodSpec> {
  return {
    'tools/list': {
      era: 'both',
      cache: core.listCache,
      handle: ({ params }) => paginate(core.tools.definitions(), 'tools', params.cursor, core.pageSize),
    },
    'tools/call': {
      era: 'both',
      mrtrTarget: (params) => String(params.name),
      handle: (call) => callTool(core, call),
    },
  };
}

async function callTool(core: ServerCore, { params, ctx }: Call): Promise<CallToolResult> {
  const name = params.name;
  if (typeof name !== 'string') throw invalidParams('tools/call needs params.name');
  const tool = core.tools.get(name);
  if (tool === undefined) {
    const known = core.tools.list().map((t) => t.name);
    throw invalidParams(`Unknown tool "${name}". Available tools: ${known.join(', ') || '(none)'}`);
  }
  const args = tool.parseArguments(params.arguments);
  if (!args.ok) return args.result;
  try {
    return tool.shapeResult(await tool.run(args.value, ctx));
  } catch (error) {
    if (error instanceof InputRequiredSignal || error instanceof ProtocolError) throw error;
    // A ToolError (or an input the client could not give) is written for the model: it goes through as is.
    if (error instanceof ToolError || error instanceof SwitchboardError) {
      return { content: [text(error.message)], isError: true };
    }
    // Anything else may hold internals (stack, SQL, paths): mask it, log it, and give the model a handle.
    const correlationId = randomUUID();
    ctx.logger.error({ err: error, correlationId, tool: name }, 'tool failed');
    return {
      content: [
        text(
          `Tool "${name}" failed with an internal error (correlation id ${correlationId}). The details were logged on the server.`,
        ),
      ],
      isError: true,
      _meta: { [CORRELATION_META]: correlationId },
    };
  }
}
