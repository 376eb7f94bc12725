import { LEGACY, legacyHeaders, post } from '../support/http.js';

/** Opens a 2025-11-25 session sending `headers` (a caller's credentials) on both initialize messages. */
export async function openSession(url: string, headers: Record<string, string> = {}): Promise<string> {
  const response = await post(
    url,
    JSON.stringify({
      jsonrpc: '2.0',
      id: 0,
      method: 'initialize',
      params: { protocolVersion: LEGACY, capabilities: {}, clientInfo: { name: 'ops-test', version: '1' } },
    }),
    { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers },
  );
  const id = response.headers.get('mcp-session-id');
  if (response.status !== 200 || id === null) throw new Error(`initialize failed: ${response.status}`);
  await response.text();
  const initialized = JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' });
  await post(url, initialized, { ...legacyHeaders(id), ...headers });
  return id;
}
