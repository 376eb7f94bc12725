import type { Claims } from './claims.js';
import { audiencesOf } from './claims.js';
import { canonicalResource } from './resource-url.js';
import type { VerifyContext } from './verifier.js';
import { InvalidTokenError } from './verifier.js';

/** Who a token must be issued for: a configured audience, or else the resource the request reached. */
export function expectedAudiences(
  configured: string | readonly string[] | undefined,
  context: VerifyContext,
): readonly string[] {
  if (configured === undefined) return [context.resource];
  return typeof configured === 'string' ? [configured] : configured;
}

/**
 * Refuses a token that does not name one of `expected` in `aud`. URLs compare in canonical form (case of scheme
 * and host, default port, trailing slash); other audiences (Entra ID's client GUIDs) compare exactly.
 * 2026-07-28 basic/authorization §Token Handling: servers MUST validate that access tokens were issued
 * specifically for them as the intended audience (RFC 8707 §2), and MUST NOT accept any other tokens.
 */
export function checkAudience(claims: Claims, expected: readonly string[]): void {
  const wanted = new Set(expected.map(comparable));
  for (const aud of audiencesOf(claims)) if (wanted.has(comparable(aud))) return;
  throw new InvalidTokenError('the token was not issued for this resource (aud)');
}

function comparable(audience: string): string {
  if (!/^https?:\/\//i.test(audience)) return audience;
  try {
    return canonicalResource(audience);
  } catch {
    return audience;
  }
}
