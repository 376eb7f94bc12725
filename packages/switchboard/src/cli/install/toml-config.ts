import { parse, stringify, TomlError } from 'smol-toml';
import { ClientConfigError } from '../errors.js';
import type { MergeResult } from './merge-result.js';
import { sameData } from './merge-result.js';

type Table = Record<string, unknown>;

/**
 * Adds (or with `force` replaces) `[servers.name]` in a TOML config file (Codex's config.toml), touching nothing
 * else: comments and every other table stay as written. A new server is appended as its own table; a replaced one
 * has its `[servers.name]` tables cut out first. The result is parsed back and compared with the intended document
 * before anything is returned.
 */
export function mergeTomlServer(
  file: string,
  text: string | undefined,
  serversKey: string,
  name: string,
  entry: Table,
  force: boolean,
): MergeResult {
  const source = text ?? '';
  const document = parseOrExplain(file, source);
  const servers = document[serversKey] as Table | undefined;
  if (servers !== undefined && (typeof servers !== 'object' || Array.isArray(servers))) {
    throw new ClientConfigError(`${serversKey} in ${file} is not a table; nothing was written`);
  }
  const existing = servers?.[name];
  let base = source;
  if (existing !== undefined) {
    if (sameData(existing, entry)) return { status: 'unchanged', text: source };
    if (!force) {
      throw new ClientConfigError(
        `${file} already has a different server named "${name}"; pass --force to replace it, or --name to add this one beside it`,
      );
    }
    base = withoutTables(source, [serversKey, name]);
    if ((parseOrExplain(file, base)[serversKey] as Table | undefined)?.[name] !== undefined) {
      throw new ClientConfigError(
        `${file} defines "${name}" inline rather than as a [${serversKey}.${name}] table; edit or remove it by hand, nothing was written`,
      );
    }
  }
  const block = stringify({ [serversKey]: { [name]: entry } });
  const trimmed = base.replace(/\s+$/, '');
  const next = trimmed === '' ? block : `${trimmed}\n\n${block}`;
  const expected = { ...document, [serversKey]: { ...servers, [name]: entry } };
  let reparsed: Table | undefined;
  try {
    reparsed = parse(next);
  } catch {
    reparsed = undefined;
  }
  if (reparsed === undefined || !sameData(reparsed, expected)) {
    throw new ClientConfigError(`could not merge into ${file} without changing something else; nothing was written`);
  }
  return { status: existing === undefined ? 'added' : 'replaced', text: next };
}

function parseOrExplain(file: string, text: string): Table {
  try {
    return parse(text);
  } catch (error) {
    const where = error instanceof TomlError ? ` at line ${error.line}, column ${error.column}` : '';
    throw new ClientConfigError(`${file} is not valid TOML${where}; fix it first, nothing was written`);
  }
}

/** Cuts every table whose header path starts with `prefix` (`[a.b]`, `[a.b.env]`) out of the text. */
function withoutTables(text: string, prefix: readonly string[]): string {
  const lines = text.split('\n');
  let cutting = false;
  return lines
    .filter((line) => {
      const header = headerPath(line);
      if (header !== undefined) cutting = prefix.every((key, i) => header[i] === key);
      return !cutting;
    })
    .join('\n');
}

/** The key path of a `[table]` or `[[array]]` header line, read by the TOML parser itself; else undefined. */
function headerPath(line: string): string[] | undefined {
  const match = /^\s*\[\[?([^[\]]+)\]\]?\s*(#.*)?$/.exec(line);
  if (match === null) return undefined;
  try {
    const path: string[] = [];
    let node: unknown = parse(`${match[1]} = 0`);
    while (typeof node === 'object' && node !== null) {
      const [key] = Object.keys(node);
      if (key === undefined) break;
      path.push(key);
      node = (node as Table)[key];
    }
    return path;
  } catch {
    return undefined;
  }
}
