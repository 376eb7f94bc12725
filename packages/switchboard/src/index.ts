export type { AuthInfo } from './protocol/auth.js';
export { principalKey } from './protocol/auth.js';
export type { HttpErrorOptions, SwitchboardErrorCode } from './protocol/errors.js';
export {
  ErrorCode,
  HandlerReturnError,
  NotFoundError,
  ProtocolError,
  RegistrationError,
  SwitchboardError,
  ToolError,
} from './protocol/errors.js';
export type { ClientLimits } from './protocol/limits.js';
export type {
  CallToolResult,
  ClientCapabilities,
  ContentBlock,
  CreateMessageParams,
  CreateMessageResult,
  ElicitResult,
  GetPromptResult,
  Implementation,
  LoggingLevel,
  PromptMessage,
  ReadResourceResult,
  ResourceContents,
  ServerCapabilities,
  ToolAnnotations,
} from './protocol/messages.js';
export { ClientRequestError } from './protocol/outbound-requests.js';
export type { Era } from './protocol/versions.js';
export { LEGACY_VERSIONS, MODERN_VERSION, SUPPORTED_VERSIONS } from './protocol/versions.js';
export type { CompleteFn } from './server/completion.js';
export { audio, embeddedResource, image, resourceLink, text, toolResult } from './server/content.js';
export type { AskOptions, ClientLog, Context, ElicitAnswer } from './server/context.js';
export type { SwitchboardOptions } from './server/core.js';
export type {
  ClientNotification,
  ListFilter,
  ListItem,
  Middleware,
  MiddlewareCall,
  NotificationHook,
  PromptGet,
  PromptTarget,
  ResourceRead,
  ResourceTarget,
  Target,
  ToolCall,
  ToolTarget,
  Use,
} from './server/middleware/index.js';
export {
  MiddlewareError,
  onCallTool,
  onGetPrompt,
  onList,
  onNotification,
  onReadResource,
} from './server/middleware/index.js';
export type { PromptArgs, PromptHandler, PromptOptions, PromptReturn } from './server/prompt.js';
export type { Registration } from './server/registry.js';
export type {
  ResourceHandler,
  ResourceOptions,
  ResourceReturn,
  ResourceTemplateOptions,
  TemplateHandler,
} from './server/resource.js';
export type { JsonSchema, JsonSchemaInput, ObjectInput } from './server/schema.js';
export { jsonSchema } from './server/schema.js';
export { Switchboard } from './server/switchboard.js';
export type { TaskStoreOptions } from './server/tasks/task-manager.js';
export type { ToolHandler, ToolOptions } from './server/tool.js';
export type { NotificationBus, ServerEvent } from './stores/bus.js';
export { MemoryBus } from './stores/bus.js';
export type {
  EventStore,
  EventStoreSize,
  FollowResult,
  MemoryEventStoreOptions,
  StreamFollower,
} from './stores/event-store.js';
export { MemoryEventStore } from './stores/event-store.js';
export type { MemorySessionStoreOptions, SessionStore } from './stores/session-store.js';
export { MemorySessionStore, SessionLimitError } from './stores/session-store.js';
export type { SharedStores } from './stores/shared-stores.js';
export type { MemoryTaskStoreOptions, StoredTask, TaskChange, TaskStatus, TaskStore } from './stores/task-store.js';
export { MemoryTaskStore } from './stores/task-store.js';
