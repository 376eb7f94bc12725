import { invalidParams } from '../../protocol/errors.js';
import type { Params } from '../../protocol/messages.js';
import type { ServerCore } from '../core.js';
import type { RequestContext } from '../request-context.js';

/** Cursors are opaque to clients (2025-11-25 server/utilities/pagination); ours encode an offset. */
function encodeCursor(offset: number): string {
  return Buffer.from(`o:${offset}`).toString('base64url');
}

function decodeCursor(cursor: unknown): number {
  if (typeof cursor !== 'string') throw invalidParams('cursor must be a string returned by a previous page');
  const match = /^o:(\d+)$/.exec(Buffer.from(cursor, 'base64url').toString());
  if (match === null)
    throw invalidParams('Invalid cursor: pass the nextCursor of a previous page, or none to start over');
  return Number(match[1]);
}

/** One page of `items` under `key`, with `nextCursor` when more remain. */
export function paginate(items: readonly Params[], key: string, cursor: unknown, pageSize: number): Params {
  const offset = cursor === undefined ? 0 : decodeCursor(cursor);
  if (offset === 0 && items.length <= pageSize) return { [key]: items };
  const page = items.slice(offset, offset + pageSize);
  const result: Params = { [key]: page };
  if (offset + pageSize < items.length) result.nextCursor = encodeCursor(offset + pageSize);
  return result;
}

/**
 * A list page as the caller gets it: with `onList` filters the items depend on who asks, so a 2026-07-28 result
 * must not be cached for everyone (server/utilities/caching: `private` for per-caller results).
 */
export function listPage(core: ServerCore, ctx: RequestContext, page: Params): Params {
  return core.listFilters.length > 0 && ctx.era === 'modern' ? { ...page, cacheScope: 'private' } : page;
}
