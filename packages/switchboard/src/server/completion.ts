import { z } from 'zod';
import type { CompleteResult } from '../protocol/messages.js';
import type { Context } from './context.js';

/**
 * Suggests values for one argument, given what the user typed so far, the other arguments already chosen, and the
 * request's context (the caller's identity, cancellation).
 */
export type CompleteFn = (
  value: string,
  context: { arguments: Record<string, string>; ctx: Context },
) => string[] | Promise<string[]>;

/** 2025-11-25 server/utilities/completion: at most 100 values per response. */
const MAX_VALUES = 100;

export function completionResult(values: readonly string[]): CompleteResult {
  const page = values.slice(0, MAX_VALUES);
  return { completion: { values: page, total: values.length, hasMore: values.length > MAX_VALUES } };
}

/** An enum argument completes itself: the options that start with what was typed. */
export function enumCompleter(schema: z.ZodType): CompleteFn | undefined {
  let inner: z.ZodType = schema;
  while (inner instanceof z.ZodOptional || inner instanceof z.ZodDefault) inner = inner.unwrap() as z.ZodType;
  if (!(inner instanceof z.ZodEnum)) return undefined;
  const options = inner.options.map(String);
  return (value) => options.filter((option) => option.startsWith(value));
}
