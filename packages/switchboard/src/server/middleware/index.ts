export { MiddlewareError } from './chain.js';
export { onCallTool, onGetPrompt, onList, onNotification, onReadResource } from './helpers.js';
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
} from './types.js';
