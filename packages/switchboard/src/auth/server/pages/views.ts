import type { Html } from './html.js';
import { html } from './html.js';

/** Who is asking, as the pages show it. */
export interface ClientView {
  /** The client's name, or its id when it gave none. */
  name: string;
  clientId: string;
  /** How the server knows the client: configured by the operator, a metadata document at a URL, or self-registered. */
  source: 'configured' | 'metadata-document' | 'registered';
}

export interface LoginView {
  action: string;
  abortAction: string;
  csrf: string;
  client: ClientView;
  username?: string;
  error?: string;
}

export interface ConsentView {
  action: string;
  csrf: string;
  client: ClientView;
  username: string;
  /** Where the browser goes afterwards: the host of the redirect URI, or its scheme for an app link. */
  redirectTarget: string;
  /** What the client will reach (resource URIs). */
  resources: string[];
  scopes: { name: string; description?: string }[];
}

const initial = (name: string) =>
  (
    name
      .replace(/^https?:\/\//, '')
      .trim()
      .charAt(0) || '?'
  ).toUpperCase();

function clientBlock(client: ClientView): Html {
  const origin =
    client.source === 'metadata-document'
      ? `Identified by ${new URL(client.clientId).host}`
      : client.source === 'configured'
        ? 'Configured by this server'
        : 'Registered itself with this server';
  return html`<div class="app"><div class="avatar" aria-hidden="true">${initial(client.name)}</div>
<div class="meta"><div class="name">${client.name}</div><div class="id">${origin}</div></div></div>`;
}

/** The sign-in form. */
export function loginBody(view: LoginView): Html {
  return html`<h1>Sign in</h1>
<p class="lead">to continue to <strong>${view.client.name}</strong></p>
${view.error ? html`<p class="notice error" role="alert">${view.error}</p>` : ''}
<form method="post" action="${view.action}" autocomplete="on">
<input type="hidden" name="csrf" value="${view.csrf}">
<label for="username">Username</label>
<input id="username" name="username" type="text" autocomplete="username" autocapitalize="none" spellcheck="false" required value="${view.username ?? ''}"${view.username ? '' : html` autofocus`}>
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password" required${view.username ? html` autofocus` : ''}>
<div class="actions"><button class="primary" type="submit">Continue</button></div>
</form>
<form method="post" action="${view.abortAction}" class="actions">
<input type="hidden" name="csrf" value="${view.csrf}">
<button class="secondary" type="submit">Cancel</button>
</form>`;
}

/** The consent screen: who asks, for what, on which server, and where the answer goes. */
export function consentBody(view: ConsentView): Html {
  const scopes =
    view.scopes.length === 0
      ? html`<li><span class="tick">✓</span><span>Use ${view.resources.length > 1 ? 'these servers' : 'this server'} on your behalf</span></li>`
      : view.scopes.map(
          (s) =>
            html`<li><span class="tick">✓</span><span>${s.description ?? s.name}${s.description ? html`<br><code>${s.name}</code>` : ''}</span></li>`,
        );
  return html`${clientBlock(view.client)}
<h1>Allow access?</h1>
<p class="lead"><strong>${view.client.name}</strong> wants to act on your behalf. It will be able to:</p>
${view.client.source === 'registered' ? html`<p class="notice warn">This app named itself. Allow it only if you started this sign-in from an app you trust.</p>` : ''}
<ul class="scopes">${scopes}</ul>
<dl class="facts">
${view.resources.map((r) => html`<div><dt>Server</dt><dd>${r}</dd></div>`)}
<div><dt>Returns you to</dt><dd>${view.redirectTarget}</dd></div>
</dl>
<p class="who">Signed in as <strong>${view.username}</strong></p>
<form method="post" action="${view.action}" class="actions">
<input type="hidden" name="csrf" value="${view.csrf}">
<button class="secondary" type="submit" name="decision" value="deny">Deny</button>
<button class="primary" type="submit" name="decision" value="allow" autofocus>Allow</button>
</form>`;
}

/** A dead end the user can understand: what went wrong, and what to do. */
export function errorBody(title: string, message: string): Html {
  return html`<h1>${title}</h1>
<p class="lead">${message}</p>
<p class="who">You can close this window and start again from your app.</p>`;
}
