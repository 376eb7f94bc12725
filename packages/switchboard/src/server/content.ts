import type { CallToolResult, ContentBlock, ResourceContents } from '../protocol/messages.js';

type Annotations = Extract<ContentBlock, { type: 'text' }>['annotations'];

/** A text content block. */
export function text(value: string, annotations?: Annotations): ContentBlock {
  return annotations === undefined ? { type: 'text', text: value } : { type: 'text', text: value, annotations };
}

/** Bytes travel as base64; a string is taken to be base64 already. */
function base64(data: string | Uint8Array): string {
  return typeof data === 'string'
    ? data
    : Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('base64');
}

/** An image content block from bytes or a base64 string. */
export function image(data: string | Uint8Array, mimeType: string): ContentBlock {
  return { type: 'image', data: base64(data), mimeType };
}

/** An audio content block from bytes or a base64 string. */
export function audio(data: string | Uint8Array, mimeType: string): ContentBlock {
  return { type: 'audio', data: base64(data), mimeType };
}

/** A resource embedded in a result, with its contents inline. */
export function embeddedResource(resource: ResourceContents): ContentBlock {
  return { type: 'resource', resource } as ContentBlock;
}

/** A link to a resource the client may read later. */
export function resourceLink(uri: string, name: string, extra: { mimeType?: string; description?: string } = {}) {
  return { type: 'resource_link', uri, name, ...extra } as ContentBlock;
}

const TOOL_RESULT = Symbol.for('switchboard.toolResult');

/**
 * Wraps a complete `CallToolResult` so a handler can return exactly what goes on the wire (for example
 * content plus `structuredContent`, or `isError` set by hand).
 */
export function toolResult(result: CallToolResult): CallToolResult {
  Object.defineProperty(result, TOOL_RESULT, { value: true, enumerable: false });
  return result;
}

export function isToolResult(value: unknown): value is CallToolResult {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[TOOL_RESULT] === true;
}

/** The field each content block type cannot do without; enough to tell a block from other data cheaply. */
const REQUIRED_FIELD: Record<string, string> = {
  text: 'text',
  image: 'data',
  audio: 'data',
  resource: 'resource',
  resource_link: 'uri',
};

/** Whether a value is shaped like a content block (its type is known and its defining field is present). */
export function isContentBlock(value: unknown): value is ContentBlock {
  if (typeof value !== 'object' || value === null) return false;
  const { type } = value as { type?: unknown };
  if (typeof type !== 'string') return false;
  const field = REQUIRED_FIELD[type];
  return field !== undefined && (value as Record<string, unknown>)[field] !== undefined;
}
