/**
 * Scope strings and how one covers another. A scope is a token without spaces (RFC 6749 §3.3); a granted scope
 * covers a required one when they are equal or the required one extends it by a `:` segment, so `leads` covers
 * `leads:read` and `leads:read:own`, but `lead` does not cover `leads:read` and `leads:read` does not cover `leads`.
 */

/** The separator of a scope hierarchy: `leads` → `leads:read` → `leads:read:own`. */
const HIERARCHY_SEPARATOR = ':';

/**
 * The scopes a claim or parameter carries: a space-delimited string (`scope`, RFC 6749 §3.3 and RFC 9068 §2.2.3)
 * or an array of strings (`scp` as Okta issues it, `permissions` as Auth0 issues it). Anything else is none.
 */
export function parseScopes(value: unknown): string[] {
  if (typeof value === 'string') return value.split(' ').filter((scope) => scope !== '');
  if (Array.isArray(value)) return value.filter((scope): scope is string => typeof scope === 'string' && scope !== '');
  return [];
}

/**
 * Whether `granted` includes `required` or a broader scope above it.
 * 2026-07-28 basic/authorization §Step-Up Authorization Flow: servers MUST account for scope hierarchies, where a
 * broader scope implies narrower ones, when deciding whether a token is sufficient for an operation.
 */
export function scopeCovers(granted: readonly string[], required: string): boolean {
  for (const scope of granted) {
    if (scope === required) return true;
    if (required.length > scope.length && required.startsWith(scope) && required[scope.length] === HIERARCHY_SEPARATOR)
      return true;
  }
  return false;
}

/** The required scopes that `granted` does not cover, in the order given, without duplicates. */
export function missingScopes(granted: readonly string[], required: readonly string[]): string[] {
  const missing: string[] = [];
  for (const scope of required) if (!scopeCovers(granted, scope) && !missing.includes(scope)) missing.push(scope);
  return missing;
}

/** Whether `granted` covers every one of `required`. */
export function hasScopes(granted: readonly string[], required: readonly string[]): boolean {
  for (const scope of required) if (!scopeCovers(granted, scope)) return false;
  return true;
}

/** RFC 6749 §3.3: scope-token = 1*( %x21 / %x23-5B / %x5D-7E ), no spaces, quotes or backslashes. */
export function isScopeToken(value: string): boolean {
  return /^[\x21\x23-\x5b\x5d-\x7e]+$/.test(value);
}
