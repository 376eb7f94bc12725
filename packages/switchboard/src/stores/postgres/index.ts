export { StoreUnavailableError } from '../../protocol/errors.js';
export type { PostgresTaskStoreOptions } from './postgres-task-store.js';
export { PostgresTaskStore } from './postgres-task-store.js';
