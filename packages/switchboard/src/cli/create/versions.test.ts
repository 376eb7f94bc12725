import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { listTemplates } from './templates.js';
import { switchboardSpec, TOOL_VERSIONS, versionFor } from './versions.js';

const workspace = JSON.parse(readFileSync(new URL('../../../../../package.json', import.meta.url), 'utf8')) as {
  devDependencies: Record<string, string>;
};

describe('scaffold versions', () => {
  it('pins the development tools this repository builds and tests with', () => {
    for (const [name, version] of Object.entries(TOOL_VERSIONS)) expect(workspace.devDependencies[name]).toBe(version);
  });

  it('knows a version for every dependency of every template', () => {
    const templates = listTemplates();
    expect(templates.map((t) => t.name)).toContain('basic');
    for (const template of templates) {
      for (const name of [...template.dependencies, ...template.devDependencies]) {
        expect(versionFor(name, '^0.1.0'), name).toMatch(/^\^?\d/);
      }
    }
  });

  it('turns a tarball path into an absolute file: spec and keeps other specs', () => {
    expect(switchboardSpec('pkg/switchboard-mcp-0.1.0.tgz', '/work')).toBe('file:/work/pkg/switchboard-mcp-0.1.0.tgz');
    expect(switchboardSpec('github:example/switchboard')).toBe('github:example/switchboard');
    expect(switchboardSpec(undefined)).toMatch(/^\^\d+\.\d+\.\d+/);
  });
});
