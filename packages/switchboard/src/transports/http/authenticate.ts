import type { AuthInfo } from '../../protocol/auth.js';
import { SwitchboardError } from '../../protocol/errors.js';

/** What an `authenticate` hook sees of one HTTP request. */
export interface AuthRequest {
  /** `POST`, `GET` or `DELETE` (CORS preflights are never authenticated). */
  readonly method: string;
  /** The path and query as received, e.g. `/mcp?x=1`. */
  readonly url: string;
  /** A request header by lower-case name; repeated headers are joined with ", ". */
  header(name: string): string | undefined;
}

/**
 * The answer to a request without acceptable credentials: 401 (none, or a bad token), 403 (not enough scope) or
 * 400 (credentials sent in a malformed or forbidden way, RFC 6750 §3.1 `invalid_request`), with the
 * `WWW-Authenticate` challenge that tells the client what to do next (RFC 6750 §3, RFC 9728 §5.1).
 */
const DEFAULT_MESSAGE = { 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden' } as const;

export class AuthChallenge extends SwitchboardError {
  readonly status: 400 | 401 | 403;
  readonly wwwAuthenticate: string;
  constructor(status: 400 | 401 | 403, wwwAuthenticate: string, message: string = DEFAULT_MESSAGE[status]) {
    super('ERR_AUTH_CHALLENGE', message);
    this.status = status;
    this.wwwAuthenticate = wwwAuthenticate;
  }
}

/** What a hook may decide: a caller, a challenge, or `undefined` for an anonymous caller. */
export type AuthOutcome = AuthInfo | AuthChallenge | undefined;

/**
 * Establishes who is calling, once per HTTP request, before the body is read. Verifiers from
 * `switchboard-mcp/auth` are such hooks; any function of this shape works.
 */
export type Authenticate = (request: AuthRequest) => AuthOutcome | Promise<AuthOutcome>;
