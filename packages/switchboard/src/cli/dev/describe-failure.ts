import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EntryError } from '../errors.js';

interface EsbuildMessage {
  text: string;
  location?: { file: string; line: number; column: number; lineText: string } | null;
}

/**
 * What to show a developer for an entry that failed: the headline, and the detail that finds the fault — a code
 * frame for a syntax error esbuild reports, else the error's message and the stack frames in their own code.
 */
export function describeFailure(error: unknown, cwd = process.cwd()): { message: string; detail: string } {
  const reason = error instanceof EntryError ? error.reason : error;
  const message = error instanceof Error ? error.message : String(error);
  if (reason === undefined) return { message, detail: '' };
  return { message, detail: detailOf(reason, cwd) };
}

function detailOf(reason: unknown, cwd: string): string {
  if (!(reason instanceof Error)) return String(reason);
  const [first] = (reason as { errors?: EsbuildMessage[] }).errors ?? [esbuildMessageIn(reason.message)];
  if (first?.location) return codeFrame(first, cwd);
  const lines = (reason.stack ?? `${reason.name}: ${reason.message}`).split('\n');
  // Frames inside Node, dependencies or this package say nothing about the user's mistake; the rest (and V8's
  // own source excerpt for a syntax error, which precedes the message) is kept.
  const own = lines.filter((line) => !/^\s+at /.test(line) || !isForeignFrame(line));
  return own.slice(0, 12).join('\n');
}

/** This package's own folder (dist/ or src/), whose frames are the CLI's, not the entry's. */
const PACKAGE_CODE = fileURLToPath(new URL('../../', import.meta.url));

function isForeignFrame(line: string): boolean {
  return /node:internal|node_modules|\(node:/.test(line) || line.includes(PACKAGE_CODE);
}

/** esbuild's `file:line:column: ERROR: text`, as tsx passes a transform error on, with the line read back. */
function esbuildMessageIn(message: string): EsbuildMessage | undefined {
  const match = /^(.+):(\d+):(\d+): ERROR: (.+)$/m.exec(message);
  if (match === null) return undefined;
  const [, file = '', line = '0', column = '0', text = ''] = match;
  let lineText = '';
  try {
    lineText = readFileSync(file, 'utf8').split('\n')[Number(line) - 1] ?? '';
  } catch {
    // The file changed or went away since; the frame shows the position without the line.
  }
  return { text, location: { file, line: Number(line), column: Number(column), lineText } };
}

function codeFrame({ text, location }: EsbuildMessage, cwd: string): string {
  if (!location) return text;
  const gutter = String(location.line);
  return [
    `${relative(cwd, location.file) || location.file}:${location.line}:${location.column + 1}  ${text}`,
    `  ${gutter} | ${location.lineText}`,
    `  ${' '.repeat(gutter.length)} | ${' '.repeat(location.column)}^`,
  ].join('\n');
}
