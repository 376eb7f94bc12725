import { Pool } from 'undici';
import type { Era } from './requests.js';
import {
  callBody,
  extractResponse,
  INITIALIZE_BODY,
  INITIALIZED_BODY,
  isCorrectSum,
  LEGACY_VERSION,
  MODERN_VERSION,
} from './requests.js';
import type { Sample, Window } from './stats.js';
import { startWindow } from './stats.js';

const ACCEPT = 'application/json, text/event-stream';

/** The Authorization header a protected server asks for by announcing `#bearer=<token>` in its URL. */
function credentials(url: string): Record<string, string> {
  const hash = new URL(url).hash;
  return hash.startsWith('#bearer=') ? { authorization: `Bearer ${hash.slice('#bearer='.length)}` } : {};
}

/** One simulated client: a legacy one opens its own session first. */
async function openClient(
  pool: Pool,
  path: string,
  era: Era,
  auth: Record<string, string> = {},
): Promise<Record<string, string>> {
  if (era === 'modern') {
    return {
      ...auth,
      'content-type': 'application/json',
      accept: ACCEPT,
      'mcp-protocol-version': MODERN_VERSION,
      'mcp-method': 'tools/call',
      'mcp-name': 'add',
    };
  }
  const init = await pool.request({
    path,
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: ACCEPT, ...auth },
    body: INITIALIZE_BODY,
  });
  await init.body.text();
  const session = init.headers['mcp-session-id'];
  if (typeof session !== 'string') throw new Error(`initialize returned no session id (HTTP ${init.statusCode})`);
  const headers = {
    ...auth,
    'content-type': 'application/json',
    accept: ACCEPT,
    'mcp-session-id': session,
    'mcp-protocol-version': LEGACY_VERSION,
  };
  const ack = await pool.request({ path, method: 'POST', headers, body: INITIALIZED_BODY });
  await ack.body.text();
  return headers;
}

/** `clients` connected clients (sessions opened for the 2025 era) that can be driven again and again. */
export interface HttpLoad {
  /** Each client keeps one call in flight while `more()` says so; every answer is checked into `sample`. */
  drive(more: () => boolean, sample: Sample): Promise<void>;
  close(): Promise<void>;
}

/** `keepAliveMs`: how long an idle connection stays open on the client's side (undici's default is 4 s). */
export async function openHttpLoad(url: string, era: Era, clients: number, keepAliveMs?: number): Promise<HttpLoad> {
  const { origin, pathname } = new URL(url);
  const pool = new Pool(origin, {
    connections: clients,
    pipelining: 1,
    ...(keepAliveMs === undefined ? {} : { keepAliveTimeout: keepAliveMs, keepAliveMaxTimeout: keepAliveMs }),
  });
  const auth = credentials(url);
  let headers: Record<string, string>[];
  try {
    headers = await Promise.all(Array.from({ length: clients }, () => openClient(pool, pathname, era, auth)));
  } catch (error) {
    await pool.close();
    throw error;
  }
  let nextId = 1;
  const drive = async (more: () => boolean, sample: Sample) => {
    await Promise.all(
      headers.map(async (h) => {
        while (more()) {
          const id = nextId++;
          const a = id % 1000;
          const b = 7;
          const started = performance.now();
          try {
            const response = await pool.request({
              path: pathname,
              method: 'POST',
              headers: h,
              body: callBody(id, a, b, era),
            });
            const text = await response.body.text();
            sample.record(performance.now() - started, isCorrectSum(extractResponse(text, id), a, b));
          } catch {
            sample.record(performance.now() - started, false);
          }
        }
      }),
    );
  };
  return { drive, close: () => pool.close() };
}

/**
 * Closed-loop load: `clients` clients each keep one request in flight. After `window.warmup` seconds the sample
 * starts recording (and `window.onMeasure` runs); `window.seconds` later the clients stop.
 */
export async function loadHttp(url: string, era: Era, clients: number, window: Window, sample: Sample): Promise<void> {
  const load = await openHttpLoad(url, era, clients);
  try {
    const until = startWindow(window, sample);
    await load.drive(() => performance.now() < until, sample);
  } finally {
    await load.close();
  }
}

/** Opens `count` legacy sessions (initialize + initialized) and leaves them idle. */
export async function openSessions(url: string, count: number): Promise<void> {
  const { origin, pathname } = new URL(url);
  const pool = new Pool(origin, { connections: 8 });
  try {
    for (let i = 0; i < count; i += 8) {
      await Promise.all(Array.from({ length: Math.min(8, count - i) }, () => openClient(pool, pathname, 'legacy')));
    }
  } finally {
    await pool.close();
  }
}
