import { describe, expect, it } from 'vitest';
import { parseToolsFile } from './parse-tools-file.js';
import { ToolsFileError } from './tools-file-error.js';

const env = { DB_URL: 'postgres://u@127.0.0.1:5432/crm', PORT: '6543', EMPTY: '' };

describe('parsing tools.yaml', () => {
  it('reads the map form and MCP Toolbox’s document form alike', () => {
    const maps = parseToolsFile(
      `sources:
  crm:
    kind: postgres
    url: \${DB_URL}
tools:
  get_lead:
    kind: postgres-sql
    source: crm
    description: A lead by id
    statement: SELECT id FROM leads WHERE id = :id
    parameters:
      - name: id
        type: integer
        description: Lead id
    scopesRequired: [leads:read]
toolsets:
  ops: [get_lead]
`,
      { env },
    );
    const documents = parseToolsFile(
      `kind: source
name: crm
type: postgres
url: \${DB_URL}
---
kind: tool
name: get_lead
type: postgres-sql
source: crm
description: A lead by id
statement: SELECT id FROM leads WHERE id = :id
parameters:
  - name: id
    type: integer
    description: Lead id
scopesRequired: [leads:read]
---
kind: toolset
name: ops
tools: [get_lead]
`,
      { env },
    );
    expect(documents.config).toEqual(maps.config);
    expect(maps.config.sources.crm).toEqual({ kind: 'postgres', url: 'postgres://u@127.0.0.1:5432/crm' });
    expect(maps.config.tools.get_lead?.scopes).toEqual(['leads:read']);
  });

  it('substitutes the environment the way MCP Toolbox does, but never inside a statement', () => {
    const parsed = parseToolsFile(
      `sources:
  crm: { kind: postgres, host: "\${HOST:127.0.0.1}", port: "\${PORT}", database: "\${DB:-crm}", user: "\${EMPTY:-app}", password: "$\${literal}" }
tools:
  t: { description: d, statement: "SELECT '\${PORT}' AS x" }
`,
      { env },
    );
    expect(parsed.config.sources.crm).toEqual({
      kind: 'postgres',
      host: '127.0.0.1',
      port: 6543,
      database: 'crm',
      user: 'app',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the literal text $${ stands for
      password: '${literal}',
    });
    // biome-ignore lint/suspicious/noTemplateCurlyInString: statements keep their text as written
    expect(parsed.config.tools.t?.statement).toBe("SELECT '${PORT}' AS x");
  });

  const refusals: [string, string, RegExp][] = [
    [
      'an unset variable',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: YAML with an environment reference
      'sources:\n  crm:\n    kind: postgres\n    url: ${NOPE}\ntools: {}\n',
      /^tools\.yaml:4:5: environment variable NOPE is not set/,
    ],
    [
      'a required variable',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: YAML with an environment reference
      'sources:\n  crm:\n    kind: postgres\n    url: ${EMPTY:?set the database URL}\ntools: {}\n',
      /^tools\.yaml:4:5: EMPTY: set the database URL$/,
    ],
    [
      'an unknown field',
      'sources:\n  crm: { kind: postgres, url: x }\ntools:\n  t:\n    description: d\n    statment: SELECT 1\n',
      /^tools\.yaml:4:3: tools\.t\.statement: .*\ntools\.yaml:6:5: tools\.t: unknown field "statment"$/,
    ],
    [
      'a wrong type',
      'sources:\n  crm: { kind: postgres, url: x }\ntools:\n  t:\n    description: d\n    statement: SELECT 1\n    maxRows: lots\n',
      /^tools\.yaml:7:5: tools\.t\.maxRows: expected a whole number$/,
    ],
    [
      'an unknown source kind',
      'sources:\n  crm: { kind: mysql, url: x }\ntools: {}\n',
      /^tools\.yaml:2:10: sources\.crm\.kind: /,
    ],
    [
      'templateParameters',
      'sources:\n  crm: { kind: postgres, url: x }\ntools:\n  t:\n    description: d\n    statement: SELECT {{.table}}\n    templateParameters: []\n',
      /^tools\.yaml:7:5: tool "t": templateParameters splice values into the SQL text/,
    ],
    [
      'authServices',
      'sources:\n  crm: { kind: postgres, url: x }\ntools:\n  t:\n    description: d\n    statement: SELECT 1\n    parameters:\n      - { name: u, type: string, authServices: [] }\n',
      /^tools\.yaml:8:34: tool "t": authServices parameters are not supported/,
    ],
    [
      'a missing source',
      'sources:\n  crm: { kind: postgres, url: x }\ntools:\n  t: { source: crn, description: d, statement: SELECT 1 }\n',
      /^tools\.yaml:4:8: tool "t" uses source "crn", which is not defined \(sources: crm\)/,
    ],
    [
      'an unnamed source among several',
      'sources:\n  a: { kind: pglite }\n  b: { kind: pglite }\ntools:\n  t: { description: d, statement: SELECT 1 }\n',
      /^tools\.yaml:5:3: tool "t" must name its source \(one of a, b\)/,
    ],
    [
      'a toolset of unknown tools',
      'sources:\n  a: { kind: pglite }\ntools: {}\ntoolsets:\n  ops: [nope]\n',
      /^tools\.yaml:5:9: toolset "ops" lists tool "nope"/,
    ],
    [
      'a tool defined twice',
      'sources:\n  a: { kind: pglite }\ntools:\n  t: { description: d, statement: SELECT 1 }\n---\nkind: tool\nname: t\ndescription: d\nstatement: SELECT 2\n',
      /^tools\.yaml:\d+:\d+: tool "t" is defined twice/,
    ],
    ['broken YAML', 'sources:\n  a: [1\n', /^tools\.yaml:\d+:\d+: Flow sequence/],
  ];

  it.each(refusals)('refuses %s, saying where', (_what, text, message) => {
    expect(() => parseToolsFile(text, { env })).toThrow(ToolsFileError);
    expect(() => parseToolsFile(text, { env })).toThrow(message);
  });
});
