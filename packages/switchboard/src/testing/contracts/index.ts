export { busContract } from './bus-contract.js';
export { eventStoreContract } from './event-store-contract.js';
export type { ContractRunner, StoreFactory } from './runner.js';
export { sessionStoreContract } from './session-store-contract.js';
export { taskStoreContract } from './task-store-contract.js';
