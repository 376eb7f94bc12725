export type { RedisConnectOptions } from './connect.js';
export { connectRedis, StoreUnavailableError } from './connect.js';
export type { RedisBusOptions } from './redis-bus.js';
export { RedisBus } from './redis-bus.js';
export type { RedisEventStoreOptions } from './redis-event-store.js';
export { RedisEventStore } from './redis-event-store.js';
export type { RedisSessionStoreOptions } from './redis-session-store.js';
export { RedisSessionStore } from './redis-session-store.js';
