import { readFileSync } from 'node:fs';

/** The text `--help` shows after the options: worked examples, one command per line, with what each does. */
export function examples(...lines: readonly (readonly [command: string, what: string])[]): string {
  const rows = lines.map(([command, what]) => `  $ ${command}\n      ${what}`);
  return `\nExamples:\n${rows.join('\n')}\n`;
}

/** This package's version, read from its package.json (two folders up from both src/cli and dist/cli). */
export function packageVersion(): string {
  const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return manifest.version;
}
