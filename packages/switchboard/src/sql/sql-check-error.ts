import { SwitchboardError } from '../protocol/errors.js';

/**
 * A SQL tool cannot work as declared: its SQL does not parse, names a column or table the database does not have,
 * is more than one statement or not a query, or does not fit its input schema. Raised at registration, before
 * the server serves anything.
 */
export class SqlCheckError extends SwitchboardError {
  constructor(message: string) {
    super('ERR_SQL_CHECK', message);
  }
}
