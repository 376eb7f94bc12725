import { RegistrationError } from '../protocol/errors.js';

/**
 * The subset of RFC 6570 resource templates use in practice: `{var}` (one path segment), `{+var}` (reserved
 * expansion, may span `/`) and `{?a,b}` (query parameters). Compiled once to a matcher.
 */
export class UriTemplate {
  readonly template: string;
  readonly variables: readonly string[];
  readonly #pattern: RegExp;
  readonly #queryVariables: readonly string[];

  constructor(template: string) {
    this.template = template;
    const variables: string[] = [];
    let queryVariables: string[] = [];
    let source = '^';
    let last = 0;
    for (const match of template.matchAll(/\{([^A-Za-z0-9_]?)([^}]*)\}/g)) {
      source += escapeLiteral(template.slice(last, match.index));
      last = match.index + match[0].length;
      const [expression, operator = '', names = ''] = match;
      if (operator !== '' && operator !== '+' && operator !== '?') {
        throw new RegistrationError(`"${template}": ${expression} is not supported; use {var}, {+var} or {?a,b}`);
      }
      if (!/^[A-Za-z0-9_.]+(,[A-Za-z0-9_.]+)*$/.test(names)) {
        throw new RegistrationError(`"${template}": ${expression} does not name a variable`);
      }
      for (const name of names.split(',')) {
        if (variables.includes(name) || queryVariables.includes(name)) {
          throw new RegistrationError(`"${template}": variable "${name}" appears twice`);
        }
      }
      if (operator === '?') {
        if (last !== template.length) throw new RegistrationError(`"${template}": {?...} must end the template`);
        queryVariables = names.split(',');
        source += '(?:\\?(.*))?';
        continue;
      }
      if (names.includes(',')) throw new RegistrationError(`"${template}": use one variable per {} expression`);
      variables.push(names);
      source += operator === '+' ? '(.+?)' : '([^/?#]+)';
    }
    if (template.slice(last).includes('{')) throw new RegistrationError(`"${template}" has an unclosed {`);
    source += `${escapeLiteral(template.slice(last))}$`;
    this.#pattern = new RegExp(source);
    this.#queryVariables = queryVariables;
    this.variables = [...variables, ...queryVariables];
  }

  /** The variables of a concrete URI, or undefined when the URI does not fit the template. */
  match(uri: string): Record<string, string> | undefined {
    const found = this.#pattern.exec(uri);
    if (found === null) return undefined;
    const values: Record<string, string> = {};
    let group = 1;
    for (const name of this.variables) {
      if (this.#queryVariables.includes(name)) break;
      values[name] = safeDecode(found[group++] ?? '');
    }
    if (this.#queryVariables.length > 0 && found[group] !== undefined) {
      const query = new URLSearchParams(found[group]);
      for (const name of this.#queryVariables) {
        const value = query.get(name);
        if (value !== null) values[name] = value;
      }
    }
    return values;
  }
}

function escapeLiteral(literal: string): string {
  return literal.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
