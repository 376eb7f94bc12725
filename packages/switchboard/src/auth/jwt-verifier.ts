import type { JSONWebKeySet, JWSAlgorithm, JWTPayload, JWTVerifyGetKey } from 'jose';
import { createLocalJWKSet, createRemoteJWKSet, errors, jwtVerify } from 'jose';
import type { AuthInfo } from '../protocol/auth.js';
import { RegistrationError } from '../protocol/errors.js';
import { checkAudience, expectedAudiences } from './audience.js';
import type { ClaimMapping, Claims } from './claims.js';
import { authInfoFromClaims } from './claims.js';
import { AS_REQUEST_TIMEOUT_MS, IssuerMetadata } from './issuer-metadata.js';
import { checkSecureUrl } from './resource-url.js';
import type { TokenVerifier, VerifyContext } from './verifier.js';
import { AuthUnavailableError, InvalidTokenError } from './verifier.js';

/** Asymmetric signatures only: a resource server holds public keys, never a secret it shares with the issuer. */
export const DEFAULT_JWT_ALGORITHMS: readonly JWSAlgorithm[] = [
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
  'Ed25519',
  'PS256',
  'PS384',
  'PS512',
  'RS256',
  'RS384',
  'RS512',
];

export interface JwtVerifierOptions extends ClaimMapping {
  /** The issuer's identifier; the token's `iss` must equal it exactly (RFC 9068 §4). */
  issuer: string;
  /** Where the issuer publishes its keys (default: `jwks_uri` from its discovered metadata). */
  jwksUri?: string | URL;
  /** Fixed keys instead of a JWKS URL (a key set, or a jose key resolver). */
  keys?: JSONWebKeySet | JWTVerifyGetKey;
  /** Accepted `aud` values (default: the canonical URI of this server, RFC 8707). */
  audience?: string | readonly string[];
  /** Accepted signature algorithms (default: the asymmetric ones; `none` and HS* are never accepted). */
  algorithms?: readonly JWSAlgorithm[];
  /** Clock skew tolerated on `exp` and `nbf`, in seconds (default 30). */
  clockToleranceSeconds?: number;
  /**
   * Require the RFC 9068 header `typ: at+jwt` (default true). Turn off for issuers that do not set it (most
   * identity providers' default token formats); the presets do where their provider does not.
   */
  requireAccessTokenType?: boolean;
  /**
   * More checks on the verified claims; throw `InvalidTokenError` to refuse. For issuers that mark token kinds in
   * a claim (Keycloak's `typ: Bearer`), so an ID token never passes as an access token.
   */
  checkClaims?: (claims: Claims) => void;
  /** How long fetched keys are kept before they are fetched again (default 10 minutes). */
  jwksCacheMaxAgeMs?: number;
  /** Least time between two JWKS fetches when a token names an unknown `kid` (default 30 s). */
  jwksCooldownMs?: number;
}

/**
 * Verifies JWT access tokens (RFC 9068) against the issuer's JWKS. Keys are fetched once and kept; a token naming a
 * `kid` the cached set lacks refetches the set (at most once per cooldown), which is how key rotation reaches this
 * server.
 */
export function jwtVerifier(options: JwtVerifierOptions): TokenVerifier {
  const algorithms = checkAlgorithms(options.algorithms ?? DEFAULT_JWT_ALGORITHMS);
  const keys = keyResolver(options);
  const verifyOptions = {
    issuer: options.issuer,
    algorithms,
    clockTolerance: options.clockToleranceSeconds ?? 30,
    // RFC 9068 §2.2: exp is REQUIRED; a token that never expires could never be cached safely either.
    requiredClaims: ['exp'],
    ...(options.requireAccessTokenType === false ? {} : { typ: 'at+jwt' }),
  };
  return {
    async verify(token: string, context: VerifyContext): Promise<AuthInfo> {
      let payload: JWTPayload;
      try {
        ({ payload } = await jwtVerify(token, await keys(), verifyOptions));
      } catch (error) {
        throw translate(error);
      }
      checkAudience(payload, expectedAudiences(options.audience, context));
      options.checkClaims?.(payload);
      return authInfoFromClaims(payload, options);
    },
  };
}

function checkAlgorithms(algorithms: readonly JWSAlgorithm[]): JWSAlgorithm[] {
  for (const alg of algorithms) {
    if (!DEFAULT_JWT_ALGORITHMS.includes(alg)) {
      throw new RegistrationError(
        `jwtVerifier: algorithm ${alg} is not accepted; a resource server verifies asymmetric signatures only (${DEFAULT_JWT_ALGORITHMS.join(', ')})`,
      );
    }
  }
  if (algorithms.length === 0) throw new RegistrationError('jwtVerifier: algorithms must name at least one algorithm');
  return [...algorithms];
}

/** The key resolver: fixed keys, a JWKS URL, or the `jwks_uri` discovered from the issuer on first use. */
function keyResolver(options: JwtVerifierOptions): () => Promise<JWTVerifyGetKey> {
  if (options.keys !== undefined) {
    const fixed = typeof options.keys === 'function' ? options.keys : createLocalJWKSet(options.keys);
    return () => Promise.resolve(fixed);
  }
  const remote = (uri: string | URL) =>
    reportFetchFailures(
      createRemoteJWKSet(checkSecureUrl(uri, 'jwksUri'), {
        timeoutDuration: AS_REQUEST_TIMEOUT_MS,
        cacheMaxAge: options.jwksCacheMaxAgeMs ?? 600_000,
        cooldownDuration: options.jwksCooldownMs ?? 30_000,
      }),
      options.issuer,
    );
  if (options.jwksUri !== undefined) {
    const set = remote(options.jwksUri);
    return () => Promise.resolve(set);
  }
  checkSecureUrl(options.issuer, 'issuer');
  const metadata = new IssuerMetadata(options.issuer);
  let set: JWTVerifyGetKey | undefined;
  return async () => {
    if (set !== undefined) return set;
    const { jwks_uri } = await metadata.get();
    if (jwks_uri === undefined) throw new AuthUnavailableError(`issuer ${options.issuer} publishes no jwks_uri`);
    set = remote(jwks_uri);
    return set;
  };
}

/**
 * A remote key set whose fetch failures (timeouts, non-200 answers, bad JSON) are the server's problem rather than
 * the token's: they become `AuthUnavailableError`, while a token naming no known key stays an invalid token.
 */
function reportFetchFailures(set: JWTVerifyGetKey, issuer: string): JWTVerifyGetKey {
  return async (header, token) => {
    try {
      return await set(header, token);
    } catch (error) {
      if (error instanceof errors.JWKSNoMatchingKey || error instanceof errors.JWKSMultipleMatchingKeys) throw error;
      throw new AuthUnavailableError(`the keys of issuer ${issuer} could not be fetched: ${(error as Error).message}`, {
        cause: error,
      });
    }
  };
}

/** jose's errors as what the client is told (invalid_token) or what the operator must fix (unavailable). */
function translate(error: unknown): Error {
  if (error instanceof AuthUnavailableError) return error;
  if (error instanceof errors.JWTExpired) return new InvalidTokenError('the token has expired');
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === 'iss') return new InvalidTokenError('the token was issued by another issuer (iss)');
    if (error.claim === 'nbf') return new InvalidTokenError('the token is not valid yet (nbf)');
    if (error.claim === 'typ') return new InvalidTokenError('the token is not a JWT access token (typ must be at+jwt)');
    return new InvalidTokenError(`the token's ${error.claim} claim is missing or invalid`);
  }
  if (error instanceof errors.JOSEAlgNotAllowed) {
    return new InvalidTokenError('the token is signed with an algorithm this server does not accept');
  }
  if (error instanceof errors.JWKSNoMatchingKey) {
    return new InvalidTokenError('no key of the issuer matches the token (kid)');
  }
  if (error instanceof errors.JWSSignatureVerificationFailed)
    return new InvalidTokenError('the token signature is invalid');
  if (error instanceof errors.JOSEError) return new InvalidTokenError('the token is not a valid JWT');
  return error as Error;
}
