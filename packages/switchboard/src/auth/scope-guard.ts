import type { AuthInfo } from '../protocol/auth.js';
import { ErrorCode, ProtocolError } from '../protocol/errors.js';
import type { Params } from '../protocol/messages.js';
import type { ServerCore } from '../server/core.js';
import { onList } from '../server/middleware/helpers.js';
import type { MiddlewareCall, Use } from '../server/middleware/types.js';
import { bearerChallenge } from './challenge.js';
import { challengeContextOf } from './challenge-context.js';
import { hasScopes, missingScopes } from './scopes.js';

/** What the guard needs of a server: to install middleware, and the registries a completion names. */
export interface ScopedServer {
  use(entry: Use): unknown;
  readonly core: ServerCore;
}

/** Servers whose scopes are enforced already: installing twice would check every request twice. */
const guarded = new WeakSet<ScopedServer>();

/** Whether a transport's host is a server the guard can be installed on (a `Switchboard`). */
export function isScopedServer(host: object): host is ScopedServer {
  return (
    typeof (host as Partial<ScopedServer>).use === 'function' &&
    typeof (host as Partial<ScopedServer>).core === 'object'
  );
}

/**
 * Enforces the `scopes` of tools, resources, resource templates and prompts, as middleware: lists show a caller
 * only what its scopes cover, and a call, read, subscription, prompt or completion without them is refused with
 * -32003 (over HTTP, in both eras, a 403 with the step-up challenge). `server.listen({ auth })` and the handlers'
 * `auth` option install it; call it yourself for stdio and TestClient. Installing it again does nothing.
 */
export function enforceScopes(server: ScopedServer): void {
  if (guarded.has(server)) return;
  guarded.add(server);
  server.use(onList((item, call) => item.scopes.length === 0 || hasScopes(call.auth.scopes, item.scopes)));
  server.use(async (call, next) => {
    const needed = neededScopes(server, call);
    if (needed !== undefined && !hasScopes(call.auth.scopes, needed.scopes)) throw forbidden(server, call.auth, needed);
    return next();
  });
}

interface Needed {
  readonly what: string;
  readonly scopes: readonly string[];
}

/** The scopes a request needs, from its target (or, for a completion, the prompt or template it completes). */
function neededScopes(server: ScopedServer, call: MiddlewareCall): Needed | undefined {
  const target = call.target;
  if (target !== undefined) {
    // Giving up a subscription needs no permission: a caller that lost a scope must still be able to leave.
    if (target.scopes.length === 0 || call.method === 'resources/unsubscribe') return undefined;
    const what = target.kind === 'resource' ? `resource ${target.uri}` : `${target.kind} "${target.name}"`;
    return { what, scopes: target.scopes };
  }
  if (call.method === 'completion/complete') return completionScopes(server, call.params.ref as Params | undefined);
  return undefined;
}

/** Completions of a prompt's or template's arguments can reveal what they would return; they need its scopes. */
function completionScopes(server: ScopedServer, ref: Params | undefined): Needed | undefined {
  if (typeof ref !== 'object' || ref === null) return undefined;
  const core = server.core;
  if (ref.type === 'ref/prompt') {
    const scopes = core.prompts.get(String(ref.name))?.target.scopes ?? [];
    return scopes.length === 0 ? undefined : { what: `prompt "${String(ref.name)}"`, scopes };
  }
  if (ref.type === 'ref/resource') {
    const template = core.templates.list().find((t) => t.template.template === ref.uri);
    const scopes = template?.scopes ?? [];
    return scopes.length === 0 ? undefined : { what: `resource template ${String(ref.uri)}`, scopes };
  }
  return undefined;
}

/**
 * The refusal: over HTTP a 403 whose challenge names every scope the operation needs (2026-07-28
 * basic/authorization §Runtime Insufficient Scope Errors: servers SHOULD include all scopes required for the current
 * operation in a single challenge), for 2025-era clients too; over stdio and TestClient a JSON-RPC error. The
 * challenge also repeats the scopes the caller already holds that this server uses: clients that re-authorize with
 * exactly the challenged scopes (the SDK v1 client does) keep the permissions they had.
 */
function forbidden(server: ScopedServer, auth: AuthInfo, needed: Needed): ProtocolError {
  const context = challengeContextOf(auth);
  const scopes = [...new Set([...needed.scopes, ...(context?.requiredScopes ?? [])])];
  const missing = missingScopes(auth.scopes, scopes);
  const known = knownScopes(server, context?.knownScopes ?? []);
  const kept = auth.scopes.filter((scope) => known.has(scope) && scope !== 'offline_access');
  const challenged = [...new Set([...scopes, ...kept])];
  const message = `Forbidden: ${needed.what} needs scope ${missing.join(' ')}`;
  const challenge = bearerChallenge({
    error: 'insufficient_scope',
    // 2026-07-28 basic/authorization §Refresh Tokens: servers SHOULD NOT include offline_access here.
    scope: context === undefined ? challenged : challenged.map(context.advertise),
    resourceMetadata: context?.resourceMetadata,
    errorDescription: message,
  });
  return new ProtocolError(ErrorCode.Forbidden, message, { requiredScopes: scopes, missingScopes: missing }, 403, {
    headers: { 'www-authenticate': challenge },
    everyEra: true,
  });
}

/** Every scope this server names: on its registrations, and in its `auth` option. Only read on a refusal. */
function knownScopes(server: ScopedServer, configured: readonly string[]): Set<string> {
  const { tools, resources, templates, prompts } = server.core;
  const known = new Set(configured);
  for (const entry of [...tools.list(), ...resources.list(), ...templates.list(), ...prompts.list()]) {
    for (const scope of entry.listItem.scopes) known.add(scope);
  }
  return known;
}
