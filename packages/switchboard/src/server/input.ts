import { z } from 'zod';
import { ErrorCode, ProtocolError, SwitchboardError } from '../protocol/errors.js';
import type { ClientCapabilities, InputRequest, Params } from '../protocol/messages.js';

export type InputMethod = InputRequest['method'];

/** The client capability each server-to-client method needs. */
export const REQUIRED_CAPABILITY: Record<InputMethod, keyof ClientCapabilities> = {
  'elicitation/create': 'elicitation',
  'sampling/createMessage': 'sampling',
  'roots/list': 'roots',
};

export const KEY_PREFIX: Record<InputMethod, string> = {
  'elicitation/create': 'elicit',
  'sampling/createMessage': 'sample',
  'roots/list': 'roots',
};

const ElicitResultShape = z.looseObject({
  action: z.enum(['accept', 'decline', 'cancel']),
  content: z.record(z.string(), z.unknown()).optional(),
});
const SamplingResultShape = z.looseObject({ role: z.string(), content: z.unknown(), model: z.string() });
const RootsResultShape = z.looseObject({ roots: z.array(z.looseObject({ uri: z.string() })) });

const RESULT_SHAPES: Record<InputMethod, z.ZodType> = {
  'elicitation/create': ElicitResultShape,
  'sampling/createMessage': SamplingResultShape,
  'roots/list': RootsResultShape,
};

/** A client's answer to one input request, checked against the shape its method defines. */
function parseAnswer(method: InputMethod, value: unknown): { ok: true; value: Params } | { ok: false; why: string } {
  const parsed = RESULT_SHAPES[method].safeParse(value);
  return parsed.success
    ? { ok: true, value: parsed.data as Params }
    : { ok: false, why: z.prettifyError(parsed.error) };
}

/**
 * Checks a client's answer to one input request. A malformed answer is a protocol error (-32602), as the MRTR
 * pattern asks servers to validate `inputResponses` (2026-07-28 basic/patterns/mrtr §Error Handling).
 */
export function checkInputResponse(method: InputMethod, key: string, value: unknown): Params {
  const answer = parseAnswer(method, value);
  if (answer.ok) return answer.value;
  throw new ProtocolError(
    ErrorCode.InvalidParams,
    `inputResponses["${key}"] is not a valid result for ${method}: ${answer.why}`,
    undefined,
    400,
  );
}

/**
 * Checks a 2025-era client's answer to a server-to-client request. The client has already answered, so a malformed
 * result fails the handler's question (the model reads why) rather than the whole request.
 */
export function checkClientAnswer(method: InputMethod, value: unknown): Params {
  const answer = parseAnswer(method, value);
  if (answer.ok) return answer.value;
  throw new SwitchboardError('ERR_INPUT_UNAVAILABLE', `The client's answer to ${method} was malformed: ${answer.why}`);
}
