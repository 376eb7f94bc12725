export type {
  Database,
  DatabaseOptions,
  Field,
  PgliteExtension,
  Queryable,
  QueryResult,
  Row,
  TransactionOptions,
} from './database.js';
export { DatabaseUnavailableError, openDatabase } from './database.js';
export type { MigrateOptions, MigrateResult } from './migrate.js';
export { MigrationError, migrate } from './migrate.js';
