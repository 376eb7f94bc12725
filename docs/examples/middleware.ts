import type { Logger } from 'pino';
import type { MiddlewareCall } from 'switchboard-mcp';
import { onCallTool, onList, Switchboard, ToolError } from 'switchboard-mcp';
import { z } from 'zod';

/** A caller may use what it holds every scope of (`leads` stands for all its `leads:*` scopes here). */
function allowed(scopes: readonly string[], call: MiddlewareCall): boolean {
  return scopes.every((scope) => call.auth.scopes.some((held) => held === scope || scope.startsWith(`${held}:`)));
}

export function createServer(logger: Logger, audit: (line: Record<string, unknown>) => void): Switchboard {
  const server = new Switchboard({ name: 'crm', version: '1.0.0', logger });
  server.tool('search_leads', { input: { q: z.string() }, scopes: ['leads:read'] }, ({ q }) => `3 leads match "${q}"`);
  server.tool('delete_lead', { input: { id: z.number() }, scopes: ['leads:admin'] }, ({ id }) => `Lead ${id} deleted`);

  // Per-caller visibility: each caller's tools/list shows only what its scopes allow.
  server.use(onList((item, call) => allowed(item.scopes, call)));

  // ...and a call of a tool the caller cannot use is refused in words the model can act on.
  server.use(
    onCallTool((call, next) => {
      if (!allowed(call.target.scopes, call)) {
        throw new ToolError(`"${call.target.name}" needs the scope ${call.target.scopes.join(' ')}; ask an admin.`);
      }
      return next();
    }),
  );

  // Timing: how long every request takes, by method and tool, on the server's log.
  server.use(async (call, next) => {
    const started = performance.now();
    try {
      return await next();
    } finally {
      const ms = Math.round((performance.now() - started) * 100) / 100;
      call.ctx.logger.info(
        { method: call.method, tool: call.target?.kind === 'tool' ? call.target.name : undefined, ms },
        'timed',
      );
    }
  });

  // Audit log: who called which tool with what, and whether it worked.
  server.use(
    onCallTool(async (call, next) => {
      const result = await next();
      audit({
        who: call.auth.subject ?? 'anonymous',
        tool: call.target.name,
        arguments: call.arguments,
        ok: !result.isError,
      });
      return result;
    }),
  );
  return server;
}
