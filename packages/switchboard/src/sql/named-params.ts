import { SqlCheckError } from './sql-check-error.js';

const PARAM = Symbol.for('switchboard.sqlParam');
const SQL_TEXT = Symbol.for('switchboard.sqlText');

/** A reference to a named parameter inside a `sql` template; made by the gateway, never by hand. */
export interface ParamRef<K extends string = string> {
  readonly [PARAM]: K;
}

/** SQL written with the `sql` tag: its literal parts and the parameters between them. */
export interface SqlText {
  readonly [SQL_TEXT]: true;
  readonly strings: readonly string[];
  readonly params: readonly string[];
}

/**
 * Tagged template for a tool's SQL: every interpolation must be a parameter reference (`${p.phone}`), so a value
 * can only ever be bound (`$n`), never spliced into the text.
 */
export function sql(strings: TemplateStringsArray, ...values: readonly ParamRef[]): SqlText {
  const params = values.map((value, index) => {
    const name = (value as Partial<ParamRef> | null | undefined)?.[PARAM];
    if (typeof name !== 'string') {
      throw new SqlCheckError(
        `sql\`…\`: interpolation #${index + 1} is not a parameter; only parameters (\${p.name}) may be interpolated`,
      );
    }
    return name;
  });
  return { [SQL_TEXT]: true, strings: [...strings.raw], params };
}

/** The references handed to a `sql` function: one per input field and context value. */
export function paramRefs(names: readonly string[]): Record<string, ParamRef> {
  return Object.fromEntries(names.map((name) => [name, { [PARAM]: name }]));
}

/** Whether a value is what the `sql` tag returns. */
export function isSqlText(value: unknown): value is SqlText {
  return typeof value === 'object' && value !== null && (value as Partial<SqlText>)[SQL_TEXT] === true;
}

/** A statement with positional placeholders: `$1` is `params[0]`. */
export interface CompiledSql {
  readonly text: string;
  readonly params: readonly string[];
}

/** Turns a template into `$n` text, one number per distinct parameter. */
export function compileTemplate(template: SqlText): CompiledSql {
  const params: string[] = [];
  let text = template.strings[0] ?? '';
  template.params.forEach((name, index) => {
    let position = params.indexOf(name);
    if (position === -1) position = params.push(name) - 1;
    text += `$${position + 1}${template.strings[index + 1] ?? ''}`;
  });
  checkNoPositional(template.strings.join(' NULL '));
  return { text: trimEnd(text), params };
}

/**
 * Turns `:name` placeholders into `$n`. Quoted strings, quoted identifiers, dollar-quoted bodies and comments are
 * left alone, as are `::` casts and `:=` named arguments. `$n` written in the text is refused: it would collide
 * with the gateway's own numbering.
 */
export function compileNamed(source: string): CompiledSql {
  const params: string[] = [];
  let text = '';
  let copied = 0;
  scan(source, {
    colon(start, name) {
      let position = params.indexOf(name);
      if (position === -1) position = params.push(name) - 1;
      text += `${source.slice(copied, start)}$${position + 1}`;
      copied = start + 1 + name.length;
    },
  });
  text += source.slice(copied);
  checkNoPositional(source);
  return { text: trimEnd(text), params };
}

/**
 * MCP Toolbox's form: `$1`, `$2`… stand for the parameters in the order they are declared. Rewrites them to
 * `:name` (outside literals and comments), so the statement goes through the same named path as any other.
 */
export function positionalToNamed(source: string, names: readonly string[]): string {
  let text = '';
  let copied = 0;
  let named = false;
  scan(source, {
    colon() {
      named = true;
    },
    dollar(start, digits) {
      const name = names[Number(digits) - 1];
      if (name === undefined) {
        throw new SqlCheckError(`the SQL uses $${digits}, but only ${names.length} parameter(s) are declared`);
      }
      text += `${source.slice(copied, start)}:${name}`;
      copied = start + 1 + digits.length;
    },
  });
  if (named && copied > 0) throw new SqlCheckError('the SQL mixes $n placeholders and :name parameters; use one');
  return text + source.slice(copied);
}

function checkNoPositional(text: string): void {
  scan(text, {
    dollar(start, digits) {
      throw new SqlCheckError(
        `the SQL uses the positional placeholder $${digits} at offset ${start}; name parameters instead (:name)`,
      );
    },
  });
}

/** Drops a final `;` and trailing blanks or comments, so the statement can be wrapped in a subquery. */
function trimEnd(text: string): string {
  let end = 0;
  scan(text, {
    token(_start, stop) {
      end = stop;
    },
  });
  const kept = text.slice(0, end);
  return kept.endsWith(';') ? kept.slice(0, -1) : kept;
}

interface ScanEvents {
  colon?(start: number, name: string): void;
  dollar?(start: number, digits: string): void;
  /** Each significant (non-blank, non-comment) stretch of text. */
  token?(start: number, end: number): void;
}

const IDENT_START = /[A-Za-z_\u0080-\uffff]/;
const IDENT_PART = /[A-Za-z0-9_$\u0080-\uffff]/;

/** A small lexer that knows where SQL text is code and where it is a literal or a comment. */
function scan(text: string, on: ScanEvents): void {
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text[i] as string;
    const next = text[i + 1];
    if (c === '-' && next === '-') {
      const eol = text.indexOf('\n', i);
      i = eol === -1 ? n : eol + 1;
    } else if (c === '/' && next === '*') {
      i = skipBlockComment(text, i);
    } else if (/\s/.test(c)) {
      i++;
    } else {
      const start = i;
      i = scanToken(text, i, on);
      on.token?.(start, i);
    }
  }
}

function scanToken(text: string, i: number, on: ScanEvents): number {
  const c = text[i] as string;
  const next = text[i + 1];
  if (c === "'") return skipQuoted(text, i, "'", isEscapeString(text, i));
  if (c === '"') return skipQuoted(text, i, '"', false);
  if (c === '$') {
    const digits = /^\$(\d+)/.exec(text.slice(i, i + 12));
    if (digits !== null && !IDENT_PART.test(text[i - 1] ?? ' ')) {
      on.dollar?.(i, digits[1] as string);
      return i + digits[0].length;
    }
    const tag = /^\$(?:[A-Za-z_\u0080-\uffff][A-Za-z0-9_\u0080-\uffff]*)?\$/.exec(text.slice(i));
    if (tag !== null && !IDENT_PART.test(text[i - 1] ?? ' ')) {
      const close = text.indexOf(tag[0], i + tag[0].length);
      return close === -1 ? text.length : close + tag[0].length;
    }
    return i + 1;
  }
  if (c === ':') {
    if (next === ':' || next === '=') return i + 2;
    if (next !== undefined && IDENT_START.test(next)) {
      let end = i + 2;
      while (end < text.length && /[A-Za-z0-9_]/.test(text[end] as string)) end++;
      on.colon?.(i, text.slice(i + 1, end));
      return end;
    }
    return i + 1;
  }
  if (IDENT_START.test(c)) {
    let end = i + 1;
    while (end < text.length && IDENT_PART.test(text[end] as string)) end++;
    return end;
  }
  return i + 1;
}

/** `E'…'` (and `e'…'`) strings take backslash escapes; plain ones only double their quote. */
function isEscapeString(text: string, quote: number): boolean {
  const before = text[quote - 1];
  return (before === 'E' || before === 'e') && !IDENT_PART.test(text[quote - 2] ?? ' ');
}

function skipQuoted(text: string, start: number, quote: string, backslashes: boolean): number {
  let i = start + 1;
  while (i < text.length) {
    const c = text[i];
    if (backslashes && c === '\\') i += 2;
    else if (c === quote) {
      if (text[i + 1] === quote) i += 2;
      else return i + 1;
    } else i++;
  }
  return text.length;
}

/** Block comments nest in PostgreSQL. */
function skipBlockComment(text: string, start: number): number {
  let depth = 0;
  let i = start;
  while (i < text.length) {
    if (text[i] === '/' && text[i + 1] === '*') {
      depth++;
      i += 2;
    } else if (text[i] === '*' && text[i + 1] === '/') {
      depth--;
      i += 2;
      if (depth === 0) return i;
    } else i++;
  }
  return text.length;
}
