import { randomInt } from 'node:crypto';
import type { BearerChallenge } from '../oauth/challenge.js';
import { parseBearerChallenge } from '../oauth/challenge.js';
import { wellKnownResourceUrls } from '../oauth/discovery.js';
import type { CheckResult } from './check.js';
import { fail, pass, skip, warn } from './check.js';
import { initializeRequest } from './mcp-requests.js';
import { send } from './probe.js';

type Json = Record<string, unknown>;

/** What the authorization checks found, for the report and the latency checks. */
export interface AuthFacts {
  /** The server answered without a token: no authorization checks apply. */
  open: boolean;
  results: CheckResult[];
}

const SKIPPED_WHEN_OPEN = [
  ['challenge-scope', 'scopes in the challenge'],
  ['prm-path', 'resource metadata (path form)'],
  ['prm-root', 'resource metadata (root form)'],
  ['offline-access', 'offline_access not listed by the RS'],
  ['as-issuer', 'AS metadata, issuer exact'],
  ['pkce', 'PKCE S256 only'],
  ['registration-types', 'CIMD and/or DCR'],
  ['iss-parameter', 'RFC 9207 iss parameter'],
  ['dcr-loopback', 'registration, loopback redirect'],
  ['dcr-custom-scheme', 'registration, custom-scheme redirect'],
] as const;

/**
 * The authorization chain as MCP clients walk it: the 401 and its challenge, RFC 9728 metadata at both well-known
 * forms, RFC 8414 metadata of the authorization server, and two throwaway registrations (named "switchboard
 * doctor") with the redirect URIs native clients use.
 */
export async function checkAuthorization(url: string): Promise<AuthFacts> {
  const results: CheckResult[] = [];
  const request = initializeRequest(1);
  let answer: Awaited<ReturnType<typeof send>>;
  try {
    answer = await send(url, { method: 'POST', headers: request.headers, body: request.body });
  } catch (error) {
    results.push(
      fail(
        'challenge',
        '401 with resource_metadata',
        `no answer: ${(error as Error).message}`,
        'make the server reachable at this URL',
      ),
    );
    for (const [id, title] of SKIPPED_WHEN_OPEN) results.push(skip(id, title, 'the server did not answer'));
    return { open: false, results };
  }
  if (answer.status !== 401) {
    const open = answer.status < 400;
    results.push(
      open
        ? pass(
            'challenge',
            '401 with resource_metadata',
            `answered ${answer.status} without a token: the server is open`,
          )
        : fail(
            'challenge',
            '401 with resource_metadata',
            `answered ${answer.status} without a token`,
            'answer unauthenticated requests with 401 and a WWW-Authenticate: Bearer resource_metadata="…" challenge',
          ),
    );
    for (const [id, title] of SKIPPED_WHEN_OPEN) results.push(skip(id, title, 'the server asks for no token'));
    return { open, results };
  }
  const challenge = parseBearerChallenge(answer.headers.get('www-authenticate'));
  results.push(challengeResult(challenge));
  results.push(
    challenge?.scope !== undefined
      ? pass('challenge-scope', 'scopes in the challenge', `scope="${challenge.scope.join(' ')}"`)
      : warn(
          'challenge-scope',
          'scopes in the challenge',
          'the 401 names no scope',
          'add scope="…" to the challenge: clients ask for exactly those (MCP scope selection); without it they guess from scopes_supported',
        ),
  );

  const resource = new URL(url);
  const [pathForm, rootForm] = wellKnownResourceUrls(resource);
  const prmPath = pathForm !== undefined && rootForm !== undefined ? await fetchJson(pathForm.href) : undefined;
  const prmRoot = await fetchJson((rootForm ?? pathForm)?.href ?? '');
  results.push(prmResult('prm-path', 'resource metadata (path form)', pathForm?.href, prmPath, url, 'fail'));
  results.push(
    prmResult('prm-root', 'resource metadata (root form)', (rootForm ?? pathForm)?.href, prmRoot, url, 'warn'),
  );
  const prm = (prmPath?.json ?? prmRoot?.json) as Json | undefined;
  const scopes = Array.isArray(prm?.scopes_supported) ? (prm.scopes_supported as string[]) : [];
  results.push(
    scopes.includes('offline_access')
      ? fail(
          'offline-access',
          'offline_access not listed by the RS',
          'scopes_supported lists offline_access',
          'remove offline_access from the resource metadata: it is an authorization-server scope, and clients that ask for it at the RS get invalid_scope',
        )
      : pass(
          'offline-access',
          'offline_access not listed by the RS',
          scopes.length > 0 ? `scopes_supported: ${scopes.join(' ')}` : 'no scopes_supported',
        ),
  );

  const issuer = Array.isArray(prm?.authorization_servers) ? (prm.authorization_servers[0] as string) : undefined;
  if (issuer === undefined) {
    results.push(
      fail(
        'as-issuer',
        'AS metadata, issuer exact',
        'the resource metadata names no authorization_servers',
        'list your authorization server in authorization_servers',
      ),
    );
    for (const [id, title] of SKIPPED_WHEN_OPEN.slice(5))
      results.push(skip(id, title, 'no authorization server to check'));
    return { open: false, results };
  }
  const metadata = await authorizationServerMetadata(issuer);
  results.push(metadata.result);
  if (metadata.json === undefined) {
    for (const [id, title] of SKIPPED_WHEN_OPEN.slice(5))
      results.push(skip(id, title, 'no usable authorization server metadata'));
    return { open: false, results };
  }
  results.push(...metadataResults(metadata.json));
  results.push(...(await registrationResults(metadata.json)));
  return { open: false, results };
}

function challengeResult(challenge: BearerChallenge | undefined): CheckResult {
  const title = '401 with resource_metadata';
  if (challenge === undefined) {
    return fail(
      'challenge',
      title,
      'the 401 has no WWW-Authenticate: Bearer challenge',
      'send WWW-Authenticate: Bearer resource_metadata="https://…/.well-known/oauth-protected-resource/…" with every 401',
    );
  }
  if (challenge.resourceMetadata === undefined) {
    return warn(
      'challenge',
      title,
      'the Bearer challenge has no resource_metadata',
      'add resource_metadata="…" (RFC 9728 §5.1): clients then need not guess the well-known URL',
    );
  }
  return pass('challenge', title, `resource_metadata="${challenge.resourceMetadata}"`);
}

async function fetchJson(url: string): Promise<{ status: number; json: unknown } | undefined> {
  if (url === '') return undefined;
  try {
    const answer = await send(url, { headers: { accept: 'application/json' } });
    let json: unknown;
    try {
      json = JSON.parse(answer.text);
    } catch {
      json = undefined;
    }
    return { status: answer.status, json };
  } catch {
    return { status: 0, json: undefined };
  }
}

function prmResult(
  id: 'prm-path' | 'prm-root',
  title: string,
  where: string | undefined,
  got: { status: number; json: unknown } | undefined,
  url: string,
  severity: 'fail' | 'warn',
): CheckResult {
  if (where === undefined || got === undefined) return skip(id, title, 'the URL has no path, so both forms are one');
  const resource = (got.json as Json | undefined)?.resource;
  if (got.status !== 200 || resource === undefined) {
    const fix =
      id === 'prm-path'
        ? `serve the RFC 9728 metadata at ${where}`
        : `also serve it at ${where}: clients written before RFC 9728's path form look only there`;
    return (severity === 'fail' ? fail : warn)(id, title, `${where} answered ${got.status || 'nothing'}`, fix);
  }
  if (resource !== url) {
    return fail(
      id,
      title,
      `resource is "${String(resource)}", not "${url}"`,
      `set resource to exactly ${url}: clients compare it with the URL they were given and stop when it differs`,
    );
  }
  return pass(id, title, `${where}: resource matches`);
}

async function authorizationServerMetadata(issuer: string): Promise<{ result: CheckResult; json?: Json }> {
  const title = 'AS metadata, issuer exact';
  const base = new URL(issuer);
  const path = base.pathname === '/' ? '' : base.pathname.replace(/\/$/, '');
  const candidates = [
    new URL(`/.well-known/oauth-authorization-server${path}`, base).href,
    new URL(`/.well-known/openid-configuration${path}`, base).href,
    `${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`,
  ];
  for (const candidate of candidates) {
    const got = await fetchJson(candidate);
    if (got?.status !== 200 || typeof got.json !== 'object' || got.json === null) continue;
    const json = got.json as Json;
    if (json.issuer !== issuer) {
      return {
        result: fail(
          'as-issuer',
          title,
          `${candidate} says issuer "${String(json.issuer)}", the resource names "${issuer}"`,
          'make the two identical, character for character (RFC 8414 §3.3): a trailing slash counts, and clients refuse the mismatch',
        ),
      };
    }
    return { result: pass('as-issuer', title, `${candidate}: issuer ${issuer}`), json };
  }
  return {
    result: fail(
      'as-issuer',
      title,
      `no metadata at ${candidates.slice(0, 2).join(' or ')}`,
      'serve RFC 8414 metadata (or OpenID discovery) for the authorization server',
    ),
  };
}

function metadataResults(as: Json): CheckResult[] {
  const methods = Array.isArray(as.code_challenge_methods_supported)
    ? (as.code_challenge_methods_supported as string[])
    : [];
  const pkce = !methods.includes('S256')
    ? fail(
        'pkce',
        'PKCE S256 only',
        methods.length === 0 ? 'code_challenge_methods_supported is missing' : `offers ${methods.join(', ')}`,
        'advertise code_challenge_methods_supported: ["S256"]: MCP clients refuse a server without it',
      )
    : methods.length > 1
      ? warn(
          'pkce',
          'PKCE S256 only',
          `offers ${methods.join(', ')}`,
          'offer S256 only: plain PKCE gives no protection against a stolen code',
        )
      : pass('pkce', 'PKCE S256 only', 'S256');
  const cimd = as.client_id_metadata_document_supported === true;
  const dcr = typeof as.registration_endpoint === 'string';
  const types =
    cimd || dcr
      ? pass(
          'registration-types',
          'CIMD and/or DCR',
          [cimd ? 'client ID metadata documents' : '', dcr ? 'dynamic registration' : ''].filter(Boolean).join(' and '),
        )
      : fail(
          'registration-types',
          'CIMD and/or DCR',
          'neither client_id_metadata_document_supported nor a registration_endpoint',
          'support dynamic client registration (RFC 7591) and/or client ID metadata documents: clients cannot get a client_id otherwise',
        );
  const iss =
    as.authorization_response_iss_parameter_supported === true
      ? pass('iss-parameter', 'RFC 9207 iss parameter', 'authorization_response_iss_parameter_supported')
      : warn(
          'iss-parameter',
          'RFC 9207 iss parameter',
          'not advertised',
          'return iss in authorization responses and advertise authorization_response_iss_parameter_supported: true (mix-up protection)',
        );
  return [pkce, types, iss];
}

const CUSTOM_SCHEME_REDIRECT = 'cursor://anysphere.cursor-mcp/oauth/callback';

async function registrationResults(as: Json): Promise<CheckResult[]> {
  const endpoint = typeof as.registration_endpoint === 'string' ? as.registration_endpoint : undefined;
  const loopback = `http://127.0.0.1:${randomInt(20_000, 60_000)}/callback`;
  const cases = [
    [
      'dcr-loopback',
      'registration, loopback redirect',
      loopback,
      'accept http://127.0.0.1:{any port} redirect URIs from native clients (RFC 8252 §7.3): Claude Code, VS Code, Codex and the CLI listen there',
    ],
    [
      'dcr-custom-scheme',
      'registration, custom-scheme redirect',
      CUSTOM_SCHEME_REDIRECT,
      'accept private-use scheme redirect URIs such as cursor:// (RFC 8252 §7.1): Cursor registers one',
    ],
  ] as const;
  if (endpoint === undefined) {
    return cases.map(([id, title]) => skip(id, title, 'no registration_endpoint'));
  }
  const results: CheckResult[] = [];
  for (const [id, title, redirect, fix] of cases) {
    try {
      const answer = await send(endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({
          client_name: 'switchboard doctor',
          redirect_uris: [redirect],
          grant_types: ['authorization_code', 'refresh_token'],
          response_types: ['code'],
          token_endpoint_auth_method: 'none',
          application_type: 'native',
        }),
      });
      const body = (() => {
        try {
          return JSON.parse(answer.text) as Json;
        } catch {
          return {};
        }
      })();
      results.push(
        answer.status === 201 || (answer.status === 200 && typeof body.client_id === 'string')
          ? pass(id, title, `${redirect} registered`)
          : fail(
              id,
              title,
              `${redirect}: ${answer.status} ${String(body.error ?? '')} ${String(body.error_description ?? '')}`.trim(),
              fix,
            ),
      );
    } catch (error) {
      results.push(
        fail(
          id,
          title,
          `no answer from ${endpoint}: ${(error as Error).message}`,
          'make the registration endpoint reachable',
        ),
      );
    }
  }
  return results;
}
