export type { LogLine } from './capture-logs.js';
export { captureLogs } from './capture-logs.js';
export type { ContractRunner, StoreFactory } from './contracts/index.js';
export { busContract, eventStoreContract, sessionStoreContract, taskStoreContract } from './contracts/index.js';
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
export { RpcError, TestClient, TestClientError } from './test-client.js';
export type { TestDatabase, TestDatabaseOptions } from './test-database.js';
export { createTestDatabase } from './test-database.js';
