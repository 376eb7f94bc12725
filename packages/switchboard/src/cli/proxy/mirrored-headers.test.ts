import { describe, expect, it } from 'vitest';
import { decodeHeaderValue } from '../../transports/http/mcp-headers.js';
import { HeaderMirror } from './mirrored-headers.js';

describe('HeaderMirror', () => {
  it('mirrors the method and name, and the parameters tools/list marked with x-mcp-header', () => {
    const mirror = new HeaderMirror();
    mirror.learn({
      tools: [
        {
          name: 'lookup',
          inputSchema: {
            type: 'object',
            properties: { region: { type: 'string', 'x-mcp-header': 'Region' }, id: { type: 'integer' } },
          },
        },
      ],
    });
    expect(
      mirror.headersFor({ method: 'tools/call', params: { name: 'lookup', arguments: { region: 'eu', id: 7 } } }),
    ).toEqual({
      'mcp-method': 'tools/call',
      'mcp-name': 'lookup',
      'mcp-param-region': 'eu',
    });
    expect(mirror.headersFor({ method: 'resources/read', params: { uri: 'memo://a' } })).toEqual({
      'mcp-method': 'resources/read',
      'mcp-name': 'memo://a',
    });
    expect(mirror.headersFor({ method: 'tools/list' })).toEqual({ 'mcp-method': 'tools/list' });
  });

  it('puts values a header cannot carry in the Base64 sentinel, as the server decodes it', () => {
    const mirror = new HeaderMirror();
    const headers = mirror.headersFor({ method: 'prompts/get', params: { name: 'résumé ' } });
    expect(headers['mcp-name']).toMatch(/^=\?base64\?.+\?=$/);
    expect(decodeHeaderValue(headers['mcp-name'] as string)).toBe('résumé ');
  });
});
