import type { CallToolResult, ContentBlock, ResourceContents } from '../protocol/messages.js';

type Annotations = Extract<ContentBlock, { type: 'text' }>['annotations'];

/** A text content block. */
export function text(value: string, annotations?: Annotations): ContentBlock {
  return annotations === undefined ? { type: 'text', text: value } : { type: 'text', text: value, annotations };
}

/** An image content block; `data` is base64. */
export function image(data: string, mimeType: string): ContentBlock {
  return { type: 'image', data, mimeType };
}

/** An audio content block; `data` is base64. */
export function audio(data: string, mimeType: string): ContentBlock {
  return { type: 'audio', data, mimeType };
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
