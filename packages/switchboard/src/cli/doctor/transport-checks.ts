import { lookup } from 'node:dns/promises';
import { connect } from 'node:net';
import type { CheckResult } from './check.js';
import { fail, pass, skip, warn } from './check.js';
import { initializeRequest, modernRequest } from './mcp-requests.js';
import type { Answer } from './probe.js';
import { responseWithId, send, sendWithHost } from './probe.js';

/** The bearer header to send, when the doctor holds a token for the server. */
export type Bearer = Record<string, string>;

function serverName(message: Record<string, unknown> | undefined): string {
  const result = message?.result as { serverInfo?: { name?: string; version?: string } } | undefined;
  const info = result?.serverInfo;
  return info?.name !== undefined ? ` (${info.name} ${info.version ?? ''})`.replace(' )', ')') : '';
}

/** Both eras answer at the one endpoint: `initialize` (2025-11-25) and `server/discover` (2026-07-28). */
export async function checkEras(url: string, bearer: Bearer): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  const eras = [
    ['legacy-era', '2025-11-25 initialize', initializeRequest(1)],
    ['modern-era', '2026-07-28 server/discover', modernRequest(1, 'server/discover')],
  ] as const;
  for (const [id, title, request] of eras) {
    let answer: Answer;
    try {
      answer = await send(url, { method: 'POST', headers: { ...request.headers, ...bearer }, body: request.body });
    } catch (error) {
      results.push(fail(id, title, `no answer: ${(error as Error).message}`, 'make the server reachable at this URL'));
      continue;
    }
    const reply = responseWithId(answer, 1);
    if (answer.status === 401) {
      results.push(skip(id, title, `needs a token (401): run \`switchboard login ${url}\` and run doctor again`));
    } else if (answer.status === 200 && reply?.result !== undefined) {
      results.push(pass(id, title, `answered in ${Math.round(answer.ms)} ms${serverName(reply)}`));
    } else {
      const error = (reply?.error as { message?: string } | undefined)?.message;
      const fix =
        id === 'modern-era'
          ? 'serve the 2026-07-28 revision too (switchboard-mcp serves both eras at one endpoint)'
          : 'answer initialize for 2025-11-25 clients: every client in use today speaks it';
      results.push(
        (id === 'modern-era' ? warn : fail)(id, title, `HTTP ${answer.status}${error ? `: ${error}` : ''}`, fix),
      );
    }
  }
  return results;
}

const FOREIGN_ORIGIN = 'https://attacker.example';
const FOREIGN_HOST = 'attacker.example';

/** Origin and Host validation (2025-11-25 transports §Security Warning: servers MUST validate Origin). */
export async function checkOriginAndHost(url: string, bearer: Bearer): Promise<CheckResult[]> {
  const request = initializeRequest(1);
  const results: CheckResult[] = [];
  try {
    const answer = await send(url, {
      method: 'POST',
      headers: { ...request.headers, ...bearer, origin: FOREIGN_ORIGIN },
      body: request.body,
    });
    results.push(
      answer.status === 403
        ? pass('origin', 'Origin validated', `a foreign Origin got 403`)
        : fail(
            'origin',
            'Origin validated',
            `a request from Origin ${FOREIGN_ORIGIN} got ${answer.status}, not 403`,
            'refuse requests whose Origin is not yours with 403 (allowedOrigins in switchboard-mcp), against DNS rebinding',
          ),
    );
  } catch (error) {
    results.push(skip('origin', 'Origin validated', `no answer: ${(error as Error).message}`));
  }
  const loopback = /^(localhost|127\.|\[::1\])/.test(new URL(url).host);
  try {
    const status = await sendWithHost(url, FOREIGN_HOST, request.body, { ...request.headers, ...bearer });
    if (status === 403 || status === 421 || status === 400) {
      results.push(pass('host', 'Host validated', `a foreign Host header got ${status}`));
    } else {
      const result = loopback ? fail : warn;
      results.push(
        result(
          'host',
          'Host validated',
          `a request with Host: ${FOREIGN_HOST} got ${status}`,
          loopback
            ? 'a local server must refuse unknown Host headers (DNS rebinding): keep allowedHosts to loopback names'
            : 'list the names you serve in allowedHosts (or check Host at your proxy) so other names get 403',
        ),
      );
    }
  } catch (error) {
    results.push(skip('host', 'Host validated', `no answer: ${(error as Error).message}`));
  }
  return results;
}

/** The MCP Inspector runs in a browser on this origin; browser clients need CORS for the MCP headers. */
const BROWSER_ORIGIN = 'http://localhost:6274';
const MCP_HEADERS = [
  'content-type',
  'authorization',
  'mcp-protocol-version',
  'mcp-session-id',
  'mcp-method',
  'mcp-name',
  'last-event-id',
];

export async function checkCors(url: string): Promise<CheckResult> {
  const title = 'CORS preflight with MCP headers';
  let answer: Answer;
  try {
    answer = await send(url, {
      method: 'OPTIONS',
      headers: {
        origin: BROWSER_ORIGIN,
        'access-control-request-method': 'POST',
        'access-control-request-headers': MCP_HEADERS.join(','),
      },
    });
  } catch (error) {
    return skip('cors', title, `no answer: ${(error as Error).message}`);
  }
  const origin = answer.headers.get('access-control-allow-origin');
  const allowed = (answer.headers.get('access-control-allow-headers') ?? '').toLowerCase();
  const missing = allowed.includes('*') ? [] : MCP_HEADERS.filter((h) => !allowed.split(/\s*,\s*/).includes(h));
  if (answer.status >= 300 || (origin !== BROWSER_ORIGIN && origin !== '*')) {
    return fail(
      'cors',
      title,
      `a preflight from ${BROWSER_ORIGIN} got ${answer.status} without Access-Control-Allow-Origin`,
      'answer OPTIONS for allowed browser origins with Access-Control-Allow-Origin and the MCP headers (switchboard-mcp does for allowedOrigins and loopback)',
    );
  }
  if (missing.length > 0) {
    return fail(
      'cors',
      title,
      `Access-Control-Allow-Headers lacks ${missing.join(', ')}`,
      'allow (or echo) every requested header, Mcp-Param-* included',
    );
  }
  return pass('cors', title, `allowed from ${BROWSER_ORIGIN} with every MCP header`);
}

/** Clients and their hosts that have no IPv6 must reach the server over IPv4. */
export async function checkIpv4(url: string): Promise<CheckResult> {
  const title = 'IPv4 reachability';
  const target = new URL(url);
  const port = Number(target.port) || (target.protocol === 'https:' ? 443 : 80);
  let address: string;
  try {
    address = (await lookup(target.hostname.replace(/^\[|\]$/g, ''), { family: 4 })).address;
  } catch {
    return fail(
      'ipv4',
      title,
      `${target.hostname} has no IPv4 address (no A record)`,
      'publish an A record: many clients and their networks have no IPv6',
    );
  }
  return new Promise((resolve) => {
    const socket = connect({ host: address, port, timeout: 5_000 });
    socket.once('connect', () => {
      socket.destroy();
      resolve(pass('ipv4', title, `${address}:${port} accepts connections`));
    });
    const failed = (reason: string) => {
      socket.destroy();
      resolve(
        fail(
          'ipv4',
          title,
          `${address}:${port} ${reason}`,
          'listen on IPv4 (0.0.0.0 or the A record address), not only on IPv6',
        ),
      );
    };
    socket.once('timeout', () => failed('does not answer'));
    socket.once('error', (error) => failed(`refused: ${error.message}`));
  });
}
