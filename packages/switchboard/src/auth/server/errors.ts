import { SwitchboardError } from '../../protocol/errors.js';

/** The authorization server's options cannot work (a bad issuer, resource, client or upstream provider). */
export class AuthServerConfigError extends SwitchboardError {
  constructor(message: string) {
    super('ERR_AUTH_SERVER_CONFIG', message);
  }
}

/** A user operation was refused: a bad username or password, a duplicate, an unknown user. */
export class UserError extends SwitchboardError {
  constructor(message: string) {
    super('ERR_AUTH_USER', message);
  }
}
