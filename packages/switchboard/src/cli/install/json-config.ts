import type { Node, ParseError } from 'jsonc-parser';
import { findNodeAtLocation, getNodeValue, parseTree, printParseErrorCode } from 'jsonc-parser';
import { ClientConfigError } from '../errors.js';
import type { MergeResult } from './merge-result.js';
import { position, sameData } from './merge-result.js';

/**
 * Adds (or with `force` replaces) `servers[name] = entry` in a JSON or JSON-with-comments config file, touching
 * nothing else: comments, key order, other servers and the file's indentation stay as they were. jsonc-parser
 * locates the nodes; the edit is spliced into the text. The result is parsed back and compared with the intended
 * document before anything is returned.
 */
export function mergeJsonServer(
  file: string,
  text: string | undefined,
  serversKey: string,
  name: string,
  entry: Record<string, unknown>,
  force: boolean,
): MergeResult {
  const source = text === undefined || text.trim() === '' ? '{}\n' : text;
  const errors: ParseError[] = [];
  const root = parseTree(source, errors, { allowTrailingComma: true, disallowComments: false });
  const [error] = errors;
  if (error !== undefined) {
    throw new ClientConfigError(
      `${file} is not valid JSON (${printParseErrorCode(error.error)} at ${position(source, error.offset)}); fix it first, nothing was written`,
    );
  }
  if (root?.type !== 'object') throw new ClientConfigError(`${file} does not hold a JSON object; nothing was written`);
  const servers = findNodeAtLocation(root, [serversKey]);
  if (servers !== undefined && servers.type !== 'object') {
    throw new ClientConfigError(`"${serversKey}" in ${file} is not an object; nothing was written`);
  }
  const existing = servers === undefined ? undefined : findNodeAtLocation(servers, [name]);
  const style = styleOf(source);
  let next: string;
  let status: MergeResult['status'];
  if (existing !== undefined) {
    if (sameData(objectOf(existing), entry)) return { status: 'unchanged', text: source };
    if (!force) {
      throw new ClientConfigError(
        `${file} already has a different server named "${name}"; pass --force to replace it, or --name to add this one beside it`,
      );
    }
    const indent = indentAt(source, (existing.parent as Node).offset);
    next = splice(source, existing.offset, existing.length, pretty(entry, indent, style));
    status = 'replaced';
  } else if (servers !== undefined) {
    next = insertProperty(source, servers, name, entry, style);
    status = 'added';
  } else {
    next = insertProperty(source, root, serversKey, { [name]: entry }, style);
    status = 'added';
  }
  const expected = { ...objectOf(root), [serversKey]: { ...(servers && objectOf(servers)), [name]: entry } };
  const reparsed = parseTree(next, [], { allowTrailingComma: true });
  if (reparsed === undefined || !sameData(objectOf(reparsed), expected)) {
    throw new ClientConfigError(`could not merge into ${file} without changing something else; nothing was written`);
  }
  return { status, text: next };
}

interface Style {
  unit: string;
  eol: string;
}

/** The file's indentation unit (the first indented line's) and line ending; two spaces and \n by default. */
function styleOf(text: string): Style {
  const indented = /\n([ \t]+)\S/.exec(text);
  return { unit: indented?.[1] ?? '  ', eol: text.includes('\r\n') ? '\r\n' : '\n' };
}

/** Inserts `"key": value` as the last property of `object`, after any comment that ends the last one's line. */
function insertProperty(text: string, object: Node, key: string, value: unknown, style: Style): string {
  const children = object.children ?? [];
  const last = children.at(-1);
  const closing = object.offset + object.length - 1;
  if (last === undefined) {
    const outer = indentAt(text, object.offset);
    const inner = outer + style.unit;
    const body = `{${style.eol}${inner}${JSON.stringify(key)}: ${pretty(value, inner, style)}${style.eol}${outer}}`;
    return splice(text, object.offset, object.length, body);
  }
  const indent = indentAt(text, last.offset);
  const end = last.offset + last.length;
  const comma = /^\s*,/.exec(text.slice(end, closing)) ? '' : ',';
  const property = `${JSON.stringify(key)}: ${pretty(value, indent, style)}`;
  const rest = text.slice(end, closing);
  const lineEnd = /^[ \t]*,?[ \t]*(?:\/\/[^\n]*|\/\*.*?\*\/[ \t]*)?\r?\n/.exec(rest);
  if (lineEnd === null || !text.slice(object.offset, last.offset).includes('\n')) {
    return splice(text, end, 0, `${comma} ${property}`);
  }
  // After the line that ends the last property (keeping its trailing comment with it).
  const at = end + lineEnd[0].length;
  return splice(splice(text, at, 0, `${indent}${property}${style.eol}`), end, 0, comma);
}

/** A value as pretty JSON whose continuation lines start at `indent`. */
function pretty(value: unknown, indent: string, style: Style): string {
  return JSON.stringify(value, null, style.unit).split('\n').join(`${style.eol}${indent}`);
}

/** The whitespace that starts the line `offset` is on, when only whitespace precedes it there. */
function indentAt(text: string, offset: number): string {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  return /^[ \t]*/.exec(text.slice(lineStart, offset))?.[0] ?? '';
}

function splice(text: string, at: number, remove: number, insert: string): string {
  return text.slice(0, at) + insert + text.slice(at + remove);
}

function objectOf(node: Node): Record<string, unknown> {
  return getNodeValue(node) as Record<string, unknown>;
}
