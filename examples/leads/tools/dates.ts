import { onCallTool, ToolError } from 'switchboard-mcp';
import { z } from 'zod';

const FIRST_DAY = '2000-01-01';
const LAST_DAY = '2099-12-31';

/** A calendar day as YYYY-MM-DD, in the range the data can have. */
export const isoDate = z.iso
  .date({ error: 'must be a real calendar day written YYYY-MM-DD, e.g. 2026-03-31' })
  .refine((day) => day >= FIRST_DAY && day <= LAST_DAY, { error: `must be between ${FIRST_DAY} and ${LAST_DAY}` });

/** A calendar month as YYYY-MM, in the same range. */
export const isoMonth = z
  .string()
  .regex(/^\d{4}-(0[1-9]|1[0-2])$/, { error: 'must be a month written YYYY-MM, e.g. 2026-03' })
  .refine((month) => month >= FIRST_DAY.slice(0, 7) && month <= LAST_DAY.slice(0, 7), {
    error: `must be between ${FIRST_DAY.slice(0, 7)} and ${LAST_DAY.slice(0, 7)}`,
  });

/**
 * Refuses a call whose range runs backwards ("created_from" after "created_to"), naming both fields: each is valid
 * alone, so the argument schema cannot see it, and the query would quietly return nothing.
 */
export function rangeOrderGuard(ranges: Record<string, readonly [from: string, to: string]>) {
  return onCallTool((call, next) => {
    const range = ranges[call.target.name];
    const from = range === undefined ? undefined : call.arguments[range[0]];
    const to = range === undefined ? undefined : call.arguments[range[1]];
    if (typeof from === 'string' && typeof to === 'string' && from > to) {
      throw new ToolError(
        `"${range![0]}" (${from}) is after "${range![1]}" (${to}); give the earlier one as "${range![0]}".`,
      );
    }
    return next();
  });
}
