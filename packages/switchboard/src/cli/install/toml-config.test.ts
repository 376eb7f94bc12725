import { parse } from 'smol-toml';
import { describe, expect, it } from 'vitest';
import { mergeTomlServer } from './toml-config.js';

const entry = { command: '/usr/bin/node', args: ['x.js'], env: { KEY: 'v' } };
const merge = (text: string | undefined, force = false) =>
  mergeTomlServer('config.toml', text, 'mcp_servers', 'calc', entry, force);

describe('mergeTomlServer', () => {
  it('writes a new file as the server table alone', () => {
    expect(merge(undefined).text).toBe(
      '[mcp_servers.calc]\ncommand = "/usr/bin/node"\nargs = [ "x.js" ]\n\n[mcp_servers.calc.env]\nKEY = "v"\n',
    );
  });

  it('appends after the last table, one blank line apart, leaving the rest as written', () => {
    const original = 'model = "o3"  # default\n\n[profiles.x]\nmodel = "o4"\n\n\n';
    const { text } = merge(original);
    expect(text.startsWith('model = "o3"  # default\n\n[profiles.x]\nmodel = "o4"\n\n[mcp_servers.calc]\n')).toBe(true);
  });

  it('adds beside servers kept under a [mcp_servers] table of inline tables', () => {
    const { text } = merge('[mcp_servers]\ndocs = { command = "npx" }\n');
    expect(parse(text)).toEqual({ mcp_servers: { docs: { command: 'npx' }, calc: entry } });
  });

  it('replaces a quoted-name table and its sub-tables, wherever they are', () => {
    const original = '[mcp_servers."calc"]\ncommand = "old"\n\n[other]\nx = 1\n\n[mcp_servers.calc.env]\nOLD = "1"\n';
    const { text, status } = merge(original, true);
    expect(status).toBe('replaced');
    expect(parse(text)).toEqual({ other: { x: 1 }, mcp_servers: { calc: entry } });
  });

  it('will not replace a server defined inline, and says so', () => {
    expect(() => merge('[mcp_servers]\ncalc = { command = "old" }\n', true)).toThrow(/defines "calc" inline/);
  });

  it('refuses to add where mcp_servers is an inline table, since TOML cannot extend one', () => {
    expect(() => merge('mcp_servers = { docs = { command = "npx" } }\n')).toThrow(/without changing something else/);
  });

  it('says unchanged for the same server', () => {
    expect(merge(merge(undefined).text).status).toBe('unchanged');
  });
});
