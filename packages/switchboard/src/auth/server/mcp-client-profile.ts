import type { ClientMetadata } from 'oidc-provider';
import { errors } from 'oidc-provider';

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);
/** Schemes that run code or read local files in the browser: never a redirect target (RFC 9700 §4.1). */
const FORBIDDEN_SCHEMES = new Set(['javascript:', 'data:', 'file:', 'vbscript:', 'blob:', 'about:']);

/** Whether a redirect URI is `http` on a loopback host (RFC 8252 §7.3). */
function isLoopbackRedirect(uri: URL): boolean {
  return uri.protocol === 'http:' && LOOPBACK_HOSTS.has(uri.hostname);
}

/**
 * The MCP profile of client metadata, applied to every client however it arrives (pre-registered, dynamic
 * registration, Client ID Metadata Document) before oidc-provider validates it (it sees the metadata with
 * oidc-provider's defaults already filled in):
 * - redirect URIs are `https`, `http` on a loopback host, or a private-use scheme such as `cursor://`; plain `http`
 *   elsewhere and `javascript:`/`data:`/`file:` are refused (MCP 2025-11-25 basic/authorization §Communication
 *   Security: redirect URIs MUST be localhost or HTTPS; RFC 8252 §7.1 for private-use schemes);
 * - a client that redirects to a loopback address or a private-use scheme is a native app (MCP 2026-07-28
 *   client-registration §Application Type: such clients SHOULD say `native`, and most do not), so a loopback
 *   redirect is accepted on any port at authorization time, as RFC 8252 §7.3 requires (VS Code falls back to a
 *   random port). A `web` client could not use those URIs at all, so this only turns a refusal into the RFC 8252
 *   rule;
 * - a client that registered itself (dynamic registration, which sets `client_id_issued_at`) or a Client ID
 *   Metadata Document is not limited to the `scope` it named: MCP clients register with the scope of their first
 *   authorization (2025-11-25 authorization §Scope Selection Strategy), and a later step-up asks for more
 *   (§Step-Up Authorization Flow). oidc-provider would answer that `invalid_scope`. Anyone may register, so the
 *   limit protects nothing; what a token carries is bounded by the resource's scopes and the user's consent.
 *   Pre-registered clients keep the `scope` they were configured with;
 * - a Client ID Metadata Document that names no token endpoint authentication method is a public client (or
 *   `private_key_jwt` when it publishes keys): it cannot hold a shared secret (draft-ietf-oauth-client-id-metadata-
 *   document-02 §4.1; oidc-provider refuses a document that names a shared-secret method).
 */
export function applyMcpClientProfile(metadata: ClientMetadata): void {
  const uris = Array.isArray(metadata.redirect_uris) ? metadata.redirect_uris : [];
  let native = false;
  let httpsLoopback = false;
  for (const value of uris) {
    const uri = URL.parse(String(value));
    if (uri === null) continue; // oidc-provider reports malformed URIs itself
    if (FORBIDDEN_SCHEMES.has(uri.protocol)) {
      throw new errors.InvalidRedirectUri(`redirect_uris must not use the ${uri.protocol.slice(0, -1)} scheme`);
    }
    if (uri.protocol === 'http:' && !isLoopbackRedirect(uri)) {
      throw new errors.InvalidRedirectUri('redirect_uris must use https unless they point at a loopback address');
    }
    if (uri.protocol === 'https:' && LOOPBACK_HOSTS.has(uri.hostname)) httpsLoopback = true;
    if (isLoopbackRedirect(uri) || (uri.protocol !== 'https:' && uri.protocol !== 'http:')) native = true;
  }
  // oidc-provider lets a native client use http only on loopback and https only off it.
  if (native && !httpsLoopback) metadata.application_type = 'native';
  const isDocument = typeof metadata.client_id === 'string' && metadata.client_id.startsWith('https://');
  if (isDocument || metadata.client_id_issued_at !== undefined) delete metadata.scope;
  if (isDocument && metadata.token_endpoint_auth_method === 'client_secret_basic' && !metadata.client_secret) {
    const hasKeys = metadata.jwks !== undefined || metadata.jwks_uri !== undefined;
    metadata.token_endpoint_auth_method = hasKeys ? 'private_key_jwt' : 'none';
  }
}
