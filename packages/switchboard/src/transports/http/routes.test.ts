import { describe, expect, it } from 'vitest';
import type { HttpRoute } from './routes.js';
import { RouteTable } from './routes.js';

const handler = () => {};
const route = (path: string, prefix = false): HttpRoute => ({ path, prefix, handler });

describe('RouteTable', () => {
  it('prefers an exact route, then the longest prefix; a prefix covers itself and what is below it', () => {
    const oauth = route('/oauth', true);
    const deep = route('/oauth/admin/', true);
    const exact = route('/oauth/token');
    const table = new RouteTable([oauth, deep, exact], '/mcp');
    expect(table.find('/oauth/token')).toBe(exact);
    expect(table.find('/oauth/admin/users')).toBe(deep);
    expect(table.find('/oauth/admin')).toBe(deep);
    expect(table.find('/oauth')).toBe(oauth);
    expect(table.find('/oauth/authorize')).toBe(oauth);
    expect(table.find('/oauthx')).toBeUndefined();
    expect(table.find('/mcp')).toBeUndefined();
  });

  it('refuses routes that clash with each other or with the MCP endpoint', () => {
    expect(() => new RouteTable([route('/mcp')], '/mcp')).toThrow(/MCP endpoint/);
    expect(() => new RouteTable([route('/api', true)], '/api/mcp')).toThrow(/cover the MCP endpoint/);
    expect(() => new RouteTable([route('/a'), route('/a')], '/mcp')).toThrow(/two routes/);
    expect(() => new RouteTable([route('health')], '/mcp')).toThrow(/start with/);
  });
});
