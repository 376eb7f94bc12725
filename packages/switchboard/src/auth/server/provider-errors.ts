import type { ErrorOut, KoaContextWithOIDC } from 'oidc-provider';
import { renderPage } from './pages/html.js';
import { errorBody } from './pages/views.js';

const TITLES: Record<string, string> = {
  invalid_client: 'This app is not recognised',
  invalid_redirect_uri: 'This app sent you to the wrong place',
  invalid_target: 'This server is not available here',
  invalid_scope: 'This app asked for something it may not have',
  access_denied: 'Access denied',
};

/**
 * oidc-provider's error page (shown when it cannot redirect back to the client: an unknown client or redirect URI)
 * in the look of the other pages. The OAuth error code and description are shown, never a stack or internals.
 */
export function renderProviderError(ctx: KoaContextWithOIDC, out: ErrorOut, _error: unknown, brand: string): void {
  const title = TITLES[out.error] ?? 'Something went wrong';
  const message = out.error_description ? `${out.error_description} (${out.error})` : out.error;
  const { headers, body } = renderPage({ title, brand, body: errorBody(title, message) });
  for (const [name, value] of Object.entries(headers)) ctx.set(name, value);
  ctx.body = body;
}
