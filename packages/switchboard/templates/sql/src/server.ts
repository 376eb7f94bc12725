import { Switchboard } from 'switchboard-mcp';
import { migrate, openDatabase, sqlTool } from 'switchboard-mcp/sql';
import { z } from 'zod';

/**
 * The server on its database: embedded PGlite in `dataDir` (`'memory'` for none on disk), or PostgreSQL when
 * DATABASE_URL is set. The migrations in ../migrations run first.
 */
export async function createServer(dataDir = process.env.DATA_DIR ?? '.data'): Promise<Switchboard> {
  const url = process.env.DATABASE_URL || undefined;
  const db = await openDatabase(url === undefined ? { dataDir } : { url });
  await migrate(db, new URL('../migrations/', import.meta.url));

  const server = new Switchboard({ name: '{{name}}', version: '0.1.0' });
  // :author is bound as a parameter, never spliced into the SQL; the rows come back as structured content.
  await sqlTool(server, db, {
    name: 'books_by_author',
    description: 'Books whose author name contains the text, oldest first',
    input: { author: z.string().min(2).describe('Part of the author name, e.g. Butler') },
    sql: "SELECT title, author, published FROM books WHERE author ILIKE '%' || :author || '%' ORDER BY published",
    maxRows: 50,
  });
  return server;
}

// `switchboard dev` and `switchboard run` serve what the default export returns.
export default createServer;
