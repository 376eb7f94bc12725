import { HandlerReturnError } from '../protocol/errors.js';
import type { CallToolResult, ContentBlock } from '../protocol/messages.js';
import { isContentBlock, text } from './content.js';

const RESULT_KEYS = new Set(['content', 'structuredContent', 'isError', '_meta']);

/** A handler returned something that has no faithful form as tool content (a Map, a stream, raw bytes...). */
export class UnsupportedReturnError extends HandlerReturnError {
  constructor(toolName: string, what: string) {
    super(
      `Tool "${toolName}" returned ${what}, which has no tool-result form: return a string, content blocks ` +
        '(text(), image(), audio(), resourceLink()), plain JSON data, or declare an output schema',
    );
  }
}

/**
 * Turns what a handler without an output schema returned into a `CallToolResult`. A string or content block
 * (or an array of them) is content; an object shaped exactly like a `CallToolResult` is one; other plain data goes
 * out as JSON text. Anything JSON cannot represent faithfully is refused rather than sent as `{}`.
 */
export function shapeToolReturn(toolName: string, value: unknown): CallToolResult {
  if (typeof value === 'string') return { content: [text(value)] };
  if (value === undefined || value === null) return { content: [] };
  if (isContentBlock(value)) return { content: [value] };
  if (Array.isArray(value)) {
    if (value.every((item) => typeof item === 'string' || isContentBlock(item))) {
      return { content: value.map((item: string | ContentBlock) => (typeof item === 'string' ? text(item) : item)) };
    }
    return { content: [text(toJson(toolName, value))] };
  }
  if (looksLikeToolResult(value)) return value;
  return { content: [text(toJson(toolName, value))] };
}

/** An object with content blocks and no keys a `CallToolResult` does not have. */
export function looksLikeToolResult(value: unknown): value is CallToolResult {
  if (typeof value !== 'object' || value === null) return false;
  const { content } = value as { content?: unknown };
  if (!Array.isArray(content) || !content.every(isContentBlock)) return false;
  return Object.keys(value).every((key) => RESULT_KEYS.has(key));
}

function toJson(toolName: string, value: unknown): string {
  const refused = unrepresentable(value);
  if (refused !== undefined) throw new UnsupportedReturnError(toolName, refused);
  return JSON.stringify(value);
}

/** What JSON would silently lose: functions, symbols, bigints, and objects that are not plain data. */
function unrepresentable(value: unknown): string | undefined {
  switch (typeof value) {
    case 'function':
    case 'symbol':
    case 'bigint':
      return `a ${typeof value}`;
    case 'object': {
      if (value === null || Array.isArray(value)) return undefined;
      if (typeof (value as { toJSON?: unknown }).toJSON === 'function') return undefined;
      const proto = Object.getPrototypeOf(value);
      if (proto === Object.prototype || proto === null) return undefined;
      return `an instance of ${(proto?.constructor as { name?: string } | undefined)?.name || 'a class'}`;
    }
    default:
      return undefined;
  }
}
