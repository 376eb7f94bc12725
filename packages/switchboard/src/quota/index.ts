export type { HttpRateLimitOptions } from './http-rate-limit.js';
export { httpRateLimit } from './http-rate-limit.js';
export type { Limit, QuotaStore, StoreDown } from './limiter.js';
export type { QuotaBudget, QuotaOptions, QuotaRejection, ToolLimit } from './quota.js';
export { quota } from './quota.js';
