import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { ErrorCode, ProtocolError, RegistrationError } from './errors.js';

/**
 * What an MRTR `requestState` carries between rounds. It travels through the client, so it is integrity
 * protected and bound to the request and caller (2026-07-28 basic/patterns/mrtr §Server Requirements 4-5).
 */
export interface RequestStatePayload {
  /** Digest of the method and its salient parameters. */
  request: string;
  /** The authenticated principal, or '' when anonymous. */
  principal: string;
  /** Expiry, ms since the epoch. */
  expires: number;
  /** Input responses gathered in earlier rounds, by input-request key. */
  responses: Record<string, unknown>;
}

/** JSON with object keys sorted, so the same arguments digest the same whatever order the client sent. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const keys = Object.keys(value).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

export function digestRequest(method: string, target: string, args: unknown): string {
  return createHash('sha256')
    .update(`${method}\n${target}\n${canonicalJson(args ?? {})}`)
    .digest('base64url');
}

function invalidState(reason: string): ProtocolError {
  return new ProtocolError(ErrorCode.InvalidParams, `Invalid requestState: ${reason}`, undefined, 400);
}

/** `body.mac`: unpadded base64url, and an HMAC-SHA256 of 32 bytes (43 characters). */
const CANONICAL_STATE = /^([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]{43})$/;

/** A secret, or several: the first signs, every one verifies, so a key can be rotated without voiding states. */
export type StateSecret = string | Uint8Array | readonly (string | Uint8Array)[];

/** HMAC-SHA256 wants a key at least as long as its output (RFC 2104 §3). */
const MIN_SECRET_BYTES = 32;

/** Signs and verifies `requestState` with HMAC-SHA256 under the server's secret. */
export class RequestStateCodec {
  readonly #keys: readonly Buffer[];
  readonly ttlMs: number;

  /** Without a secret a random one is made: fine for one process, not for several behind a load balancer. */
  constructor(secret: StateSecret | undefined, ttlMs: number) {
    const secrets =
      secret === undefined
        ? [randomBytes(32)]
        : typeof secret === 'string' || secret instanceof Uint8Array
          ? [secret]
          : secret;
    if (secrets.length === 0) throw new RegistrationError('stateSecret must hold at least one secret');
    this.#keys = secrets.map((one) => {
      const key = Buffer.from(one);
      if (key.length < MIN_SECRET_BYTES) {
        throw new RegistrationError(
          `stateSecret must be at least ${MIN_SECRET_BYTES} bytes; use e.g. 32 random bytes, base64`,
        );
      }
      return key;
    });
    this.ttlMs = ttlMs;
  }

  seal(payload: RequestStatePayload): string {
    const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
    return `${body}.${this.#mac(body, this.#keys[0] as Buffer)}`;
  }

  /** Returns the payload, or throws -32602 for state that is forged, altered, expired or for another request. */
  open(state: unknown, request: string, principal: string, now = Date.now()): RequestStatePayload {
    if (typeof state !== 'string') throw invalidState('must be the string the server issued');
    // Only the one encoding the server writes: unpadded base64url, one dot, a 32-byte MAC. Another alphabet,
    // padding or extra separators would decode to the same bytes, so they are refused before any decoding.
    const match = CANONICAL_STATE.exec(state);
    if (match === null) throw invalidState('not in the form the server issues');
    const [, body, macText] = match as unknown as [string, string, string];
    const mac = Buffer.from(macText, 'base64url');
    if (mac.toString('base64url') !== macText || Buffer.from(body, 'base64url').toString('base64url') !== body) {
      throw invalidState('not in the form the server issues');
    }
    const genuine = this.#keys.some((key) => timingSafeEqual(mac, Buffer.from(this.#mac(body, key), 'base64url')));
    if (!genuine) throw invalidState('integrity check failed');
    const payload = JSON.parse(Buffer.from(body, 'base64url').toString()) as RequestStatePayload;
    if (payload.expires < now) throw invalidState('expired; call again without it');
    if (payload.request !== request) throw invalidState('issued for a different request');
    if (payload.principal !== principal) throw invalidState('issued to a different caller');
    return payload;
  }

  #mac(body: string, key: Buffer): string {
    return createHmac('sha256', key).update(body).digest('base64url');
  }
}
