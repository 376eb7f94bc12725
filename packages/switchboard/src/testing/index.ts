export type { LogLine } from './capture-logs.js';
export { captureLogs } from './capture-logs.js';
export type {
  CompleteParams,
  ListOptions,
  ListResult,
  ProgressUpdate,
  ReceivedNotification,
  RequestOptions,
  Subscription,
  SubscriptionFilter,
  TestClientHandlers,
  TestClientOptions,
} from './test-client.js';
export { RpcError, TestClient } from './test-client.js';
