import type Provider from 'oidc-provider';
import type { ClientView, ConsentView } from '../pages/views.js';

type Details = Awaited<ReturnType<Provider['interactionDetails']>>;

interface ConsentDetails {
  missingOIDCScope?: string[];
  missingOIDCClaims?: string[];
  missingResourceScopes?: Record<string, string[]>;
}

const BUILT_IN: Record<string, string> = {
  openid: 'Know which account you are',
  profile: 'See your username',
  offline_access: 'Stay connected while you are away',
};

/** Where the browser is sent after the decision: a web host, or the app a private-use scheme opens. */
export function redirectTarget(redirectUri: string): string {
  const uri = URL.parse(redirectUri);
  if (uri === null) return redirectUri;
  if (uri.protocol === 'https:' || uri.protocol === 'http:') return uri.host;
  return `${uri.protocol}//${uri.host} (an app on this device)`;
}

/** What the consent page shows for an interaction: the scopes not granted yet, else the scopes requested. */
export function consentView(
  details: Details,
  client: ClientView,
  username: string,
  deps: { scopeDescriptions: ReadonlyMap<string, string> },
): Omit<ConsentView, 'action' | 'csrf'> {
  const missing = details.prompt.details as ConsentDetails;
  const resourceScopes = missing.missingResourceScopes ?? {};
  const missingNames = [...(missing.missingOIDCScope ?? []), ...Object.values(resourceScopes).flat()];
  // Asked again with nothing new (a native client is always asked): show what it asked for.
  const requestedScope = typeof details.params.scope === 'string' ? details.params.scope.split(' ') : [];
  const names = [...new Set((missingNames.length ? missingNames : requestedScope).filter(Boolean))];
  const requested = details.params.resource;
  const resources = Object.keys(resourceScopes).length
    ? Object.keys(resourceScopes)
    : Array.isArray(requested)
      ? requested.map(String)
      : requested === undefined
        ? []
        : [String(requested)];
  return {
    client,
    username,
    redirectTarget: redirectTarget(String(details.params.redirect_uri)),
    resources,
    scopes: names.map((name) => ({ name, description: deps.scopeDescriptions.get(name) ?? BUILT_IN[name] })),
  };
}

/**
 * Records the user's consent: the grant (existing or new) gains exactly the scopes the consent page showed, per
 * resource (RFC 8707: scopes are granted for one resource and its audience).
 */
export async function grantConsent(provider: Provider, details: Details): Promise<string> {
  const accountId = String(details.session?.accountId);
  const clientId = String(details.params.client_id);
  const existing = details.grantId ? await provider.Grant.find(details.grantId) : undefined;
  const grant = existing ?? new provider.Grant({ accountId, clientId });
  const missing = details.prompt.details as ConsentDetails;
  if (missing.missingOIDCScope?.length) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
  if (missing.missingOIDCClaims?.length) grant.addOIDCClaims(missing.missingOIDCClaims);
  for (const [resource, scopes] of Object.entries(missing.missingResourceScopes ?? {})) {
    grant.addResourceScope(resource, scopes.join(' '));
  }
  return grant.save();
}
