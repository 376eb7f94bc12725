import * as oauth from 'oauth4webapi';
import { describe } from './discovery.js';
import { OAuthClientError } from './errors.js';
import { serverOptions } from './http-options.js';
import type { CachedLogin } from './token-cache.js';

export type RegisteredClient = Pick<CachedLogin, 'client' | 'registration'>;

/** How the CLI identifies itself to an authorization server. */
export interface RegistrationOptions {
  /**
   * An `https` URL of a Client ID Metadata Document that lists `http://127.0.0.1/callback` as a redirect URI.
   * Used as the `client_id` when the authorization server supports metadata documents; a CLI cannot host one
   * itself, so without it the CLI registers dynamically.
   */
  clientMetadataUrl?: string;
  /** A client registered beforehand with the authorization server (its `client_id`), used as it is. */
  clientId?: string;
}

/** The name the CLI registers under; the consent page shows it. */
const CLIENT_NAME = 'Switchboard CLI';

/**
 * Chooses the client for a sign-in, in the order MCP 2025-11-25 authorization §Client Registration Approaches
 * recommends: a pre-registered client, a Client ID Metadata Document the server supports, a registration kept
 * from an earlier sign-in with the same server, then dynamic client registration (RFC 7591) for a native app
 * with a loopback redirect URI.
 */
export async function chooseClient(
  as: oauth.AuthorizationServer,
  redirectUri: string,
  options: RegistrationOptions,
  previous: CachedLogin | undefined,
): Promise<RegisteredClient> {
  if (options.clientId !== undefined) {
    return {
      client: { client_id: options.clientId, token_endpoint_auth_method: 'none' },
      registration: 'preregistered',
    };
  }
  if (options.clientMetadataUrl !== undefined && as.client_id_metadata_document_supported === true) {
    return {
      client: { client_id: options.clientMetadataUrl, token_endpoint_auth_method: 'none' },
      registration: 'metadata-document',
    };
  }
  if (
    previous !== undefined &&
    previous.authorizationServer.issuer === as.issuer &&
    previous.registration === 'dynamic'
  ) {
    return { client: previous.client, registration: 'dynamic' };
  }
  if (as.registration_endpoint === undefined) {
    throw new OAuthClientError(
      `the authorization server ${as.issuer} offers neither dynamic client registration (registration_endpoint) nor ` +
        `client ID metadata documents${options.clientMetadataUrl === undefined ? '' : ' (client_id_metadata_document_supported)'}: ` +
        'pass --client-id with a client registered there',
    );
  }
  return { client: await register(as, redirectUri), registration: 'dynamic' };
}

async function register(as: oauth.AuthorizationServer, redirectUri: string): Promise<RegisteredClient['client']> {
  try {
    const response = await oauth.dynamicClientRegistrationRequest(
      as,
      {
        client_name: CLIENT_NAME,
        // RFC 8252 §7.3: the authorization server lets a loopback redirect use any port, so one registration
        // serves later sign-ins whichever port is free then.
        redirect_uris: [redirectUri],
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        token_endpoint_auth_method: 'none',
        application_type: 'native',
      },
      serverOptions(as),
    );
    const client = await oauth.processDynamicClientRegistrationResponse(response);
    return {
      client_id: client.client_id,
      ...(typeof client.client_secret === 'string' ? { client_secret: client.client_secret } : {}),
      ...(typeof client.token_endpoint_auth_method === 'string'
        ? { token_endpoint_auth_method: client.token_endpoint_auth_method }
        : {}),
      redirect_uri: redirectUri,
    };
  } catch (error) {
    throw new OAuthClientError(
      `dynamic client registration at ${as.registration_endpoint} failed: ${describe(error)}`,
      {
        cause: error,
      },
    );
  }
}

/** How the client authenticates at the token endpoint: a public client, unless the registration gave a secret. */
export function clientAuthentication(client: RegisteredClient['client']): oauth.ClientAuth {
  if (client.client_secret === undefined) return oauth.None();
  return client.token_endpoint_auth_method === 'client_secret_post'
    ? oauth.ClientSecretPost(client.client_secret)
    : oauth.ClientSecretBasic(client.client_secret);
}
