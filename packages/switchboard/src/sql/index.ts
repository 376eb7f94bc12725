export type { CursorOptions } from './cursor.js';
export { CursorCodec } from './cursor.js';
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
export type { MigrateOptions, MigrateResult, Migration } from './migrate.js';
export { MigrationError, migrate } from './migrate.js';
export type { ParamRef, SqlText } from './named-params.js';
export { sql } from './named-params.js';
export type { QueryContext } from './prepare-query.js';
export { PreparedQuery, prepareQuery } from './prepare-query.js';
export type {
  ContextParams,
  CostGuard,
  IdentityOptions,
  ParamRefs,
  PlanMode,
  QueryArgs,
  SqlInput,
  SqlQueryOptions,
} from './query-options.js';
export type { QueryPage } from './result-page.js';
export { SqlCheckError } from './sql-check-error.js';
export type { SqlToolOptions } from './sql-tool.js';
export { sqlTool } from './sql-tool.js';
export type { ToolsFile } from './tools-file/load-tools-file.js';
export { loadToolsFile } from './tools-file/load-tools-file.js';
export type { ParsedToolsFile, ParseOptions } from './tools-file/parse-tools-file.js';
export { parseToolsFile } from './tools-file/parse-tools-file.js';
export { ToolsFileError } from './tools-file/tools-file-error.js';
