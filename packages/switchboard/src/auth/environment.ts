import type { AuthInfo } from '../protocol/auth.js';
import { RegistrationError } from '../protocol/errors.js';
import type { TokenVerifier, VerifyFunction } from './verifier.js';
import { toVerifier } from './verifier.js';

export interface EnvironmentAuthOptions {
  /** Checks the token, as for HTTP: the same verifier works for both transports. */
  verifier: TokenVerifier | VerifyFunction;
  /** The resource the token must be issued for (its audience), usually the server's HTTP URL. */
  resource: string;
  /** The variable that holds the token (default `MCP_ACCESS_TOKEN`). */
  variable?: string;
  /** Where to read it from (default `process.env`). */
  env?: Readonly<Record<string, string | undefined>>;
}

/**
 * The caller of a stdio server, from a token in the environment, verified once at start. Pass it as
 * `server.stdio({ auth })`. A missing variable or a token the verifier refuses fails the start with a clear error.
 * 2026-07-28 basic/authorization §Protocol Requirements: implementations using an STDIO transport SHOULD NOT follow
 * the OAuth flow, and instead retrieve credentials from the environment.
 */
export async function authFromEnvironment(options: EnvironmentAuthOptions): Promise<AuthInfo> {
  const variable = options.variable ?? 'MCP_ACCESS_TOKEN';
  const token = (options.env ?? process.env)[variable]?.trim();
  if (token === undefined || token === '') {
    throw new RegistrationError(`stdio credentials: set ${variable} to an access token for ${options.resource}`);
  }
  return toVerifier(options.verifier).verify(token, { resource: options.resource });
}
