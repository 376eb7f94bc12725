import type { AuthInfo } from '../protocol/auth.js';

/** What a 403 for this caller must say beyond the operation's own scopes. */
export interface ChallengeContext {
  /** The metadata URL of the resource the caller's token was verified for. */
  readonly resourceMetadata: string;
  /** Scopes the endpoint requires of every request. */
  readonly requiredScopes: readonly string[];
  /** The scopes the `auth` option names (`scopesSupported`, `requiredScopes`). */
  readonly knownScopes: readonly string[];
  /** How scopes are written for clients (`AuthOptions.advertiseScope`). */
  readonly advertise: (scope: string) => string;
}

/**
 * Remembers, per verified identity, the resource it was verified for, so the scope guard (which runs in the engine,
 * far from the HTTP request) can point its step-up challenge at the right metadata. Each identity a resource server
 * caches belongs to one resource, since its cache is keyed by token and resource.
 */
const contexts = new WeakMap<AuthInfo, ChallengeContext>();

export function rememberChallengeContext(auth: AuthInfo, context: ChallengeContext): void {
  contexts.set(auth, context);
}

export function challengeContextOf(auth: AuthInfo): ChallengeContext | undefined {
  return contexts.get(auth);
}
