import { SwitchboardError } from '../../protocol/errors.js';

/** A tools.yaml file that cannot be used as written: the message starts with `file:line:column` where it can. */
export class ToolsFileError extends SwitchboardError {
  constructor(message: string) {
    super('ERR_TOOLS_FILE', message);
  }
}
