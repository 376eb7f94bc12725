import type {
  CallToolResultSchema,
  ClientCapabilitiesSchema,
  CompleteResultSchema,
  ContentBlockSchema,
  CreateMessageRequestParamsSchema,
  CreateMessageResultSchema,
  ElicitRequestParamsSchema,
  ElicitResultSchema,
  GetPromptResultSchema,
  IconSchema,
  ImplementationSchema,
  ListRootsResultSchema,
  LoggingLevelSchema,
  PromptMessageSchema,
  PromptSchema,
  ReadResourceResultSchema,
  ResourceSchema,
  ResourceTemplateSchema,
  ServerCapabilitiesSchema,
  ToolAnnotationsSchema,
  ToolSchema,
} from '@modelcontextprotocol/core';
import type { z } from 'zod';

// Protocol vocabulary, inferred from the official schemas rather than copied from the spec.
export type CallToolResult = z.infer<typeof CallToolResultSchema>;
export type ClientCapabilities = z.infer<typeof ClientCapabilitiesSchema>;
export type CompleteResult = z.infer<typeof CompleteResultSchema>;
export type ContentBlock = z.infer<typeof ContentBlockSchema>;
export type CreateMessageParams = z.infer<typeof CreateMessageRequestParamsSchema>;
export type CreateMessageResult = z.infer<typeof CreateMessageResultSchema>;
export type ElicitParams = z.infer<typeof ElicitRequestParamsSchema>;
export type ElicitResult = z.infer<typeof ElicitResultSchema>;
export type GetPromptResult = z.infer<typeof GetPromptResultSchema>;
export type Icon = z.infer<typeof IconSchema>;
export type Implementation = z.infer<typeof ImplementationSchema>;
export type ListRootsResult = z.infer<typeof ListRootsResultSchema>;
export type LoggingLevel = z.infer<typeof LoggingLevelSchema>;
export type PromptMessage = z.infer<typeof PromptMessageSchema>;
export type PromptDefinition = z.infer<typeof PromptSchema>;
export type ReadResourceResult = z.infer<typeof ReadResourceResultSchema>;
/** Text or blob contents of one resource. */
export type ResourceContents = ReadResourceResult['contents'][number];
export type ResourceDefinition = z.infer<typeof ResourceSchema>;
export type ResourceTemplateDefinition = z.infer<typeof ResourceTemplateSchema>;
export type ServerCapabilities = z.infer<typeof ServerCapabilitiesSchema>;
export type ToolAnnotations = z.infer<typeof ToolAnnotationsSchema>;
export type ToolDefinition = z.infer<typeof ToolSchema>;

/** A JSON-RPC id; integers past 2^53 arrive as `bigint`, so they go back exactly as the client wrote them. */
export type RequestId = string | number | bigint;
export type Params = Record<string, unknown>;

/** JSON-RPC envelopes as they arrive (already checked by `classifyMessage`). */
export interface JsonRpcRequest {
  jsonrpc: '2.0';
  id: RequestId;
  method: string;
  params?: Params;
}

export interface JsonRpcNotification {
  jsonrpc: '2.0';
  method: string;
  params?: Params;
}

export interface JsonRpcResponse {
  jsonrpc: '2.0';
  id: RequestId;
  result?: Params;
  error?: { code: number; message: string; data?: unknown };
}

export type JsonRpcMessage = JsonRpcRequest | JsonRpcNotification | JsonRpcResponse;

/** A result as a handler produces it: any JSON object. */
export type Result = Params;

/** 2026-07-28 server/utilities/caching: hints on cacheable results. */
export interface CacheHints {
  ttlMs: number;
  cacheScope: 'public' | 'private';
}

/** One request of an MRTR round (2026-07-28 basic/patterns/mrtr §InputRequests). */
export interface InputRequest {
  method: 'elicitation/create' | 'sampling/createMessage' | 'roots/list';
  params?: Params;
}

/** RFC 5424 severities, least severe first (the order `logging/setLevel` and `_meta` log levels compare by). */
export const LOGGING_LEVELS: readonly LoggingLevel[] = [
  'debug',
  'info',
  'notice',
  'warning',
  'error',
  'critical',
  'alert',
  'emergency',
];

export function isLoggingLevel(value: unknown): value is LoggingLevel {
  return LOGGING_LEVELS.includes(value as LoggingLevel);
}
