import { ToolError } from '../protocol/errors.js';
import { describeValue, formatArgumentProblems } from '../server/argument-errors.js';

/** What went wrong with a call, as far as the model may know. */
export type Failure =
  | { kind: 'timeout' }
  | { kind: 'lock-timeout' }
  | { kind: 'cancelled' }
  | { kind: 'bad-argument'; param: number }
  | { kind: 'unavailable' }
  | { kind: 'internal' };

const SOCKET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);
const CONNECTION_MESSAGES =
  /Connection terminated|timeout exceeded when trying to connect|connection error and is not queryable|Client was closed|Cannot reach PostgreSQL/i;
/** SQLSTATEs where the argument's text could not be read as its parameter type. */
const INPUT_SYNTAX = new Set(['22P02', '22007', '22008', '22003', '22021', '22001']);

/**
 * Sorts an error from the database into what the model is told. Only timeouts, unreadable arguments and an
 * unreachable database get their own message; everything else is masked (logged with a correlation id).
 */
export function classify(error: unknown, cancelledByUs: boolean): Failure {
  const e = error as { code?: unknown; message?: unknown; where?: unknown };
  const code = typeof e?.code === 'string' ? e.code : undefined;
  if (code === '57014') return cancelledByUs ? { kind: 'cancelled' } : { kind: 'timeout' };
  if (code === '55P03') return { kind: 'lock-timeout' };
  if (code !== undefined && INPUT_SYNTAX.has(code) && typeof e.where === 'string') {
    // PostgreSQL names the parameter whose text it could not read: "unnamed portal parameter $2 = '…'".
    const param = /portal parameter \$(\d+)/.exec(e.where);
    if (param !== null) return { kind: 'bad-argument', param: Number(param[1]) };
  }
  if (code !== undefined && (SOCKET_CODES.has(code) || code.startsWith('08') || /^57P0[123]$/.test(code))) {
    return { kind: 'unavailable' };
  }
  if (typeof e?.message === 'string' && CONNECTION_MESSAGES.test(e.message)) return { kind: 'unavailable' };
  return { kind: 'internal' };
}

/** The database could not be reached during a call; the model is told to retry, the log has the cause. */
export class DatabaseUnreachableError extends ToolError {
  readonly correlationId: string;
  constructor(tool: string, correlationId: string) {
    super(
      `Tool "${tool}" could not reach its database (correlation id ${correlationId}). This is usually temporary: retry in a few seconds.`,
    );
    this.correlationId = correlationId;
  }
}

/** The model's message for a statement PostgreSQL cancelled at its `statement_timeout`. */
export function timeoutError(tool: string, ms: number): ToolError {
  return new ToolError(
    `Tool "${tool}" timed out: the query ran longer than ${ms} ms and was cancelled on the database server. Narrow the request with more specific arguments, or try again later.`,
  );
}

/** The model's message for a lock wait that passed `lock_timeout`. */
export function lockTimeoutError(tool: string, ms: number): ToolError {
  return new ToolError(
    `Tool "${tool}" timed out after waiting ${ms} ms for a lock held by other database work. Try again in a moment.`,
  );
}

/** An argument passed its schema but PostgreSQL cannot read it as the parameter's type (a malformed date, say). */
export function badArgumentError(tool: string, field: string, typeName: string, value: unknown): ToolError {
  return new ToolError(
    formatArgumentProblems(tool, [
      { field, expected: `a value PostgreSQL reads as ${typeName}`, received: describeValue(value) },
    ]),
  );
}
