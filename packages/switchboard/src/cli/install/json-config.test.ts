import { describe, expect, it } from 'vitest';
import { ClientConfigError } from '../errors.js';
import { mergeJsonServer } from './json-config.js';

const entry = { command: '/usr/bin/node', args: ['x.js'] };
const merge = (text: string | undefined, force = false) =>
  mergeJsonServer('mcp.json', text, 'mcpServers', 'calc', entry, force);

describe('mergeJsonServer', () => {
  it('starts a missing or empty file as a fresh object', () => {
    for (const text of [undefined, '', '  \n']) {
      const { status, text: next } = merge(text);
      expect(status).toBe('added');
      expect(JSON.parse(next)).toEqual({ mcpServers: { calc: entry } });
    }
  });

  it('fills an empty servers object and keeps the keys around it', () => {
    const { text } = merge('{\n  "a": 1,\n  "mcpServers": {},\n  "z": 2\n}\n');
    expect(text).toBe(
      '{\n  "a": 1,\n  "mcpServers": {\n    "calc": {\n      "command": "/usr/bin/node",\n      "args": [\n        "x.js"\n      ]\n    }\n  },\n  "z": 2\n}\n',
    );
  });

  it('keeps CRLF line endings', () => {
    const { text } = merge('{\r\n  "mcpServers": {\r\n    "a": {}\r\n  }\r\n}\r\n');
    expect(text.split('\n').every((line, i, all) => i === all.length - 1 || line.endsWith('\r'))).toBe(true);
    expect(JSON.parse(text).mcpServers).toEqual({ a: {}, calc: entry });
  });

  it('keeps a comment that ends the last server line on that line', () => {
    const { text } = merge('{\n  "mcpServers": {\n    "a": {} // first\n  }\n}\n');
    expect(text).toContain('    "a": {}, // first\n    "calc": {');
  });

  it('adds to a one-line object on its line', () => {
    const { text } = merge('{ "mcpServers": { "a": {} } }');
    expect(JSON.parse(text)).toEqual({ mcpServers: { a: {}, calc: entry } });
  });

  it('says unchanged for the same entry, refuses a different one, and replaces it with force', () => {
    const same = merge(JSON.stringify({ mcpServers: { calc: entry } }));
    expect(same.status).toBe('unchanged');
    const different = JSON.stringify({ mcpServers: { calc: { command: 'old' }, other: { url: 'u' } } }, null, 2);
    expect(() => merge(different)).toThrow(ClientConfigError);
    const replaced = merge(different, true);
    expect(replaced.status).toBe('replaced');
    expect(JSON.parse(replaced.text)).toEqual({ mcpServers: { calc: entry, other: { url: 'u' } } });
  });

  it.each([
    ['not JSON', '{ "mcpServers": ', /not valid JSON \(ValueExpected at line 1, column 17\)/],
    ['an array at the top', '[1, 2]', /does not hold a JSON object/],
    ['a servers key that is a string', '{ "mcpServers": "none" }', /"mcpServers" in mcp\.json is not an object/],
  ])('refuses %s', (_case, text, message) => {
    expect(() => merge(text)).toThrow(message);
  });
});
