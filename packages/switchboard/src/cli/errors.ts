import { SwitchboardError } from '../protocol/errors.js';

/** A command line that cannot run as written (a bad option value, options that conflict): exit code 2. */
export class UsageError extends SwitchboardError {
  constructor(message: string) {
    super('ERR_CLI_USAGE', message);
  }
}

/** The entry file is missing, fails to load, or exports no server. `reason` is what the import threw, if anything. */
export class EntryError extends SwitchboardError {
  readonly reason: unknown;
  constructor(message: string, reason?: unknown) {
    super('ERR_ENTRY', message);
    this.reason = reason;
  }
}

/** A client's config file that cannot be read or merged safely; nothing was written. */
export class ClientConfigError extends SwitchboardError {
  constructor(message: string) {
    super('ERR_CLIENT_CONFIG', message);
  }
}

/** `create` cannot scaffold where it was asked to (the folder is not empty, the template is unknown). */
export class ScaffoldError extends SwitchboardError {
  constructor(message: string) {
    super('ERR_SCAFFOLD', message);
  }
}
