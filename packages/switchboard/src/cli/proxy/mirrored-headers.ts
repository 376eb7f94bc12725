import type { HeaderParam } from '../../protocol/host.js';
import { collectHeaderParams } from '../../server/header-params.js';
import type { JsonSchema } from '../../server/json-schema.js';

type Message = Record<string, unknown>;

/** Body fields a 2026-07-28 request mirrors into `Mcp-Name` (transports/streamable-http §Request Headers). */
const NAMED: Record<string, string> = {
  'tools/call': 'name',
  'prompts/get': 'name',
  'resources/read': 'uri',
  'tasks/get': 'taskId',
  'tasks/update': 'taskId',
  'tasks/cancel': 'taskId',
};

/** Printable ASCII without leading or trailing space goes as it is; anything else in the Base64 sentinel. */
function headerValue(value: unknown): string {
  const text = String(value);
  return /^[\x21-\x7e](?:[\x20-\x7e]*[\x21-\x7e])?$/.test(text) && !text.startsWith('=?')
    ? text
    : `=?base64?${Buffer.from(text, 'utf8').toString('base64')}?=`;
}

/**
 * The headers a 2026-07-28 POST must mirror from its body: `Mcp-Method`, `Mcp-Name`, and one `Mcp-Param-*` for
 * each argument the tool marks with `x-mcp-header`. A stdio client sends no headers, so the proxy learns each
 * tool's marked parameters from the `tools/list` answers it relays.
 */
export class HeaderMirror {
  readonly #params = new Map<string, HeaderParam[]>();

  /** Remembers the marked parameters of the tools in a `tools/list` result. */
  learn(result: unknown): void {
    const tools = (result as { tools?: unknown } | undefined)?.tools;
    if (!Array.isArray(tools)) return;
    for (const tool of tools as { name?: unknown; inputSchema?: unknown }[]) {
      if (typeof tool.name !== 'string') continue;
      try {
        this.#params.set(tool.name, collectHeaderParams((tool.inputSchema ?? {}) as JsonSchema, tool.name));
      } catch {
        // A schema the server should not have listed: send no parameter headers and let the server judge.
        this.#params.delete(tool.name);
      }
    }
  }

  headersFor(message: Message): Record<string, string> {
    const method = message.method;
    if (typeof method !== 'string') return {};
    const params = (message.params ?? {}) as Message;
    const headers: Record<string, string> = { 'mcp-method': method };
    const field = NAMED[method];
    if (field !== undefined && params[field] !== undefined) headers['mcp-name'] = headerValue(params[field]);
    if (method === 'tools/call' && typeof params.name === 'string') {
      for (const param of this.#params.get(params.name) ?? []) {
        let value: unknown = params.arguments;
        for (const key of param.path) value = (value as Message | undefined)?.[key];
        if (value !== undefined && value !== null) headers[param.header] = headerValue(value);
      }
    }
    return headers;
  }
}
