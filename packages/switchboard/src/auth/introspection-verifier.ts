import type { AuthorizationServer, ClientAuth, IntrospectionResponse } from 'oauth4webapi';
import * as oauth from 'oauth4webapi';
import type { AuthInfo } from '../protocol/auth.js';
import { checkAudience, expectedAudiences } from './audience.js';
import type { ClaimMapping } from './claims.js';
import { audiencesOf, authInfoFromClaims } from './claims.js';
import { IssuerMetadata, requestOptions } from './issuer-metadata.js';
import { checkSecureUrl } from './resource-url.js';
import type { TokenVerifier, VerifyContext } from './verifier.js';
import { AuthUnavailableError, InvalidTokenError } from './verifier.js';

export interface IntrospectionVerifierOptions extends ClaimMapping {
  /** The issuer of the tokens; its `introspection_endpoint` is discovered unless `endpoint` is given. */
  issuer: string;
  /** The RFC 7662 introspection endpoint (default: from the issuer's metadata). */
  endpoint?: string | URL;
  /** This resource server's client id at the authorization server (RFC 7662 §2.1: the caller must authenticate). */
  clientId: string;
  clientSecret: string;
  /** How the client authenticates (default `client_secret_basic`). */
  clientAuthMethod?: 'client_secret_basic' | 'client_secret_post';
  /** Accepted `aud` values (default: the canonical URI of this server). */
  audience?: string | readonly string[];
  /**
   * Accept an active token whose introspection response names no audience (default false). Only for
   * authorization servers that issue tokens for this resource alone and do not return `aud`.
   */
  allowMissingAudience?: boolean;
  /**
   * How long an introspection answer is reused, in ms (default 60 s, never past the token's `exp`). A token revoked
   * at the authorization server stays accepted here until then (RFC 7662 §4).
   */
  cacheMs?: number;
  /** Clock skew tolerated on `exp` and `nbf`, in seconds (default 30). */
  clockToleranceSeconds?: number;
}

/** Verifies opaque tokens by asking the authorization server (RFC 7662 token introspection). */
export function introspectionVerifier(options: IntrospectionVerifierOptions): TokenVerifier {
  const issuerUrl = checkSecureUrl(options.issuer, 'issuer');
  const metadata =
    options.endpoint === undefined
      ? new IssuerMetadata(options.issuer)
      : new IssuerMetadata(options.issuer, {
          issuer: options.issuer,
          introspection_endpoint: checkSecureUrl(options.endpoint, 'introspection endpoint').href,
        });
  const client = { client_id: options.clientId };
  const auth: ClientAuth =
    options.clientAuthMethod === 'client_secret_post'
      ? oauth.ClientSecretPost(options.clientSecret)
      : oauth.ClientSecretBasic(options.clientSecret);
  const tolerance = options.clockToleranceSeconds ?? 30;
  return {
    maxCacheMs: options.cacheMs ?? 60_000,
    async verify(token: string, context: VerifyContext): Promise<AuthInfo> {
      const as = await metadata.get();
      const answer = await introspect(as, client, auth, token, issuerUrl);
      // RFC 7662 §2.2: an inactive token carries no other information.
      if (!answer.active) throw new InvalidTokenError('the token is not active (revoked, expired or unknown)');
      const now = Date.now() / 1000;
      if (typeof answer.exp === 'number' && answer.exp + tolerance < now) {
        throw new InvalidTokenError('the token has expired');
      }
      if (typeof answer.nbf === 'number' && answer.nbf - tolerance > now) {
        throw new InvalidTokenError('the token is not valid yet (nbf)');
      }
      if (answer.iss !== undefined && answer.iss !== options.issuer) {
        throw new InvalidTokenError('the token was issued by another issuer (iss)');
      }
      if (!(options.allowMissingAudience === true && audiencesOf(answer).length === 0)) {
        checkAudience(answer, expectedAudiences(options.audience, context));
      }
      return authInfoFromClaims(answer, options);
    },
  };
}

async function introspect(
  as: AuthorizationServer,
  client: oauth.Client,
  auth: ClientAuth,
  token: string,
  issuerUrl: URL,
): Promise<IntrospectionResponse> {
  if (as.introspection_endpoint === undefined) {
    throw new AuthUnavailableError(`issuer ${as.issuer} publishes no introspection_endpoint`);
  }
  try {
    const response = await oauth.introspectionRequest(as, client, auth, token, {
      ...requestOptions(new URL(as.introspection_endpoint)),
      additionalParameters: { token_type_hint: 'access_token' },
    });
    return await oauth.processIntrospectionResponse(as, client, response);
  } catch (error) {
    throw new AuthUnavailableError(
      `token introspection at ${as.introspection_endpoint} (issuer ${issuerUrl.href}) failed: ${(error as Error).message}`,
      { cause: error },
    );
  }
}
