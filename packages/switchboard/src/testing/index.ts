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
