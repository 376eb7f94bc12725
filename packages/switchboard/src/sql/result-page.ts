import { ToolError } from '../protocol/errors.js';
import type { Row } from './database.js';

/** What a query returns: the rows, whether more exist past them, and the cursor to the next page. */
export interface QueryPage {
  readonly rows: Row[];
  /** True when rows were left out: more than `maxRows` matched, or the rows passed `maxBytes`. */
  readonly truncated: boolean;
  /** Present on paginated queries when there is a next page: pass it back as `cursor`. */
  readonly nextCursor?: string;
}

/** A page and its JSON text, made once (the text is what a tool result carries). */
export interface ShapedPage {
  readonly page: QueryPage;
  readonly json: string;
}

/** UTF-8 size of a JSON text, without encoding it when its length alone settles the question. */
function fitsIn(json: string, maxBytes: number): boolean {
  if (json.length * 3 <= maxBytes) return true;
  if (json.length > maxBytes) return false;
  return Buffer.byteLength(json) <= maxBytes;
}

/**
 * Cuts the rows the statement returned (at most `maxRows + 1`) to a page: the extra row only says that there is
 * more. Over `maxBytes`, whole rows are dropped from the end, so that what remains is still valid, complete rows.
 */
export function shapePage(
  rows: Row[],
  maxRows: number,
  maxBytes: number,
  cursorAfter: ((row: Row) => string) | undefined,
  tool: string,
): ShapedPage {
  let more = rows.length > maxRows;
  if (more) rows.length = maxRows;
  const page = (kept: Row[]): QueryPage => {
    const last = kept[kept.length - 1];
    return more && cursorAfter !== undefined && last !== undefined
      ? { rows: kept, truncated: true, nextCursor: cursorAfter(last) }
      : { rows: kept, truncated: more };
  };
  let shaped = page(rows);
  let json = JSON.stringify(shaped);
  if (fitsIn(json, maxBytes)) return { page: shaped, json };

  // Over the byte cap: keep the longest prefix of rows that fits, leaving room for the envelope and a cursor.
  let used = 256;
  let kept = 0;
  for (const row of rows) {
    const size = Buffer.byteLength(JSON.stringify(row)) + 1;
    if (used + size > maxBytes) break;
    used += size;
    kept++;
  }
  more = true;
  for (; kept > 0; kept--) {
    shaped = page(rows.slice(0, kept));
    json = JSON.stringify(shaped);
    if (fitsIn(json, maxBytes)) return { page: shaped, json };
  }
  throw new ToolError(
    `Tool "${tool}" found a row larger than its result limit of ${maxBytes} bytes, so it cannot return it. Ask for fewer or smaller columns, or narrow the request.`,
  );
}
