/** The wire shapes the load drivers send and check: tools/call add(a, b) in either era. */
export type Era = 'modern' | 'legacy';

export const LEGACY_VERSION = '2025-11-25';
export const MODERN_VERSION = '2026-07-28';

const MODERN_META = `{"io.modelcontextprotocol/protocolVersion":"${MODERN_VERSION}","io.modelcontextprotocol/clientCapabilities":{},"io.modelcontextprotocol/clientInfo":{"name":"bench","version":"1"}}`;

export function callBody(id: number, a: number, b: number, era: Era): string {
  const meta = era === 'modern' ? `,"_meta":${MODERN_META}` : '';
  return `{"jsonrpc":"2.0","id":${id},"method":"tools/call","params":{"name":"add","arguments":{"a":${a},"b":${b}}${meta}}}`;
}

export const INITIALIZE_BODY = JSON.stringify({
  jsonrpc: '2.0',
  id: 0,
  method: 'initialize',
  params: { protocolVersion: LEGACY_VERSION, capabilities: {}, clientInfo: { name: 'bench', version: '1' } },
});

export const INITIALIZED_BODY = '{"jsonrpc":"2.0","method":"notifications/initialized"}';

/** Pulls the JSON-RPC response for `id` out of a JSON body or an SSE stream body. */
export function extractResponse(text: string, id: number): Record<string, unknown> | undefined {
  const trimmed = text.trimStart();
  if (trimmed.startsWith('{')) return JSON.parse(trimmed);
  for (const line of text.split('\n')) {
    if (!line.startsWith('data:')) continue;
    const data = line.slice(5).trim();
    if (data === '') continue;
    const message = JSON.parse(data) as Record<string, unknown>;
    if (message.id === id) return message;
  }
  return undefined;
}

/** True when the response carries the right sum as its first text block. */
export function isCorrectSum(response: Record<string, unknown> | undefined, a: number, b: number): boolean {
  const result = response?.result as { content?: { type: string; text?: string }[] } | undefined;
  return result?.content?.[0]?.text === String(a + b);
}
