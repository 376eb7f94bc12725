import type { Logger } from 'pino';
import { RegistrationError } from '../protocol/errors.js';

// 2025-11-25 server/tools §Tool Names: names SHOULD be 1-128 characters of A-Z, a-z, 0-9, _, - and '.'.
const SPEC_TOOL_NAME = /^[A-Za-z0-9_.-]{1,128}$/;
// RFC 3986 §3.1: a URI begins with a scheme; none contains whitespace.
const URI = /^[A-Za-z][A-Za-z0-9+.-]*:[^\s]*$/;

/** An empty name can never be called; a name outside the spec's advice works but some clients reject it. */
export function checkToolName(name: string, logger: Logger): void {
  if (name.length === 0) throw new RegistrationError('A tool needs a non-empty name');
  if (!SPEC_TOOL_NAME.test(name)) {
    logger.warn(
      { tool: name },
      'tool name is outside the spec’s advice (1-128 characters of A-Z a-z 0-9 _ - .); some clients may reject it',
    );
  }
}

export function checkPromptName(name: string): void {
  if (name.length === 0) throw new RegistrationError('A prompt needs a non-empty name');
}

export function checkResourceUri(uri: string): void {
  if (!URI.test(uri)) {
    throw new RegistrationError(`"${uri}" is not a URI: resources need an absolute URI such as "docs://readme"`);
  }
}
