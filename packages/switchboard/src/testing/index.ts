export type { ReceivedNotification, TestClientHandlers, TestClientOptions } from './test-client.js';
export { RpcError, TestClient } from './test-client.js';
