import { SwitchboardError } from '../../protocol/errors.js';

/**
 * The CLI could not sign in to a server, refresh its token or sign out. The message says what went wrong and what
 * to do (run `switchboard login`, fix the server's metadata), and is printed as it is.
 */
export class OAuthClientError extends SwitchboardError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('ERR_OAUTH_CLIENT', message);
    if (options?.cause !== undefined) this.cause = options.cause;
  }
}
