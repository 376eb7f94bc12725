import { RegistrationError } from '../protocol/errors.js';

/** RFC 6749 §3.3: a scope token is one or more printable ASCII characters other than space, `"` and `\`. */
const SCOPE_TOKEN = /^[\x21\x23-\x5B\x5D-\x7E]+$/;

const NONE: readonly string[] = Object.freeze([]);

/** Checks a registration's `scopes` option once, at registration, and freezes it. */
export function checkScopes(scopes: readonly string[] | undefined, what: string): readonly string[] {
  if (scopes === undefined || scopes.length === 0) return NONE;
  if (!Array.isArray(scopes)) throw new RegistrationError(`${what}: scopes must be an array of scope strings`);
  for (const scope of scopes) {
    if (typeof scope !== 'string' || !SCOPE_TOKEN.test(scope)) {
      throw new RegistrationError(
        `${what}: scope ${JSON.stringify(scope)} is not a valid OAuth scope token (RFC 6749 §3.3: no spaces or quotes)`,
      );
    }
  }
  return Object.freeze([...new Set(scopes)]);
}
