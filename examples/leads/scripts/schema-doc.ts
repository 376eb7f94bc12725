/**
 * Regenerates the schema section of README.md from a freshly migrated database's own catalog and comments:
 * `npm run schema-doc -w switchboard-example-leads`. The README test fails when the two differ.
 */
import { execFileSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { migrate, openDatabase } from 'switchboard-mcp/sql';
import { MIGRATIONS } from '../database.js';
import { readSchemaCatalog } from '../schema-catalog.js';
import { README, replaceSchemaSection, schemaSection } from '../schema-doc.js';

const db = await openDatabase({ dataDir: 'memory', extensions: ['pg_trgm'] });
try {
  await migrate(db, MIGRATIONS);
  const section = schemaSection(await readSchemaCatalog(db));
  await writeFile(README, replaceSchemaSection(await readFile(README, 'utf8'), section));
  // The repository formats Markdown with biome (padded table columns); leave the README as `npm run lint` wants it.
  execFileSync('npx', ['biome', 'format', '--write', fileURLToPath(README)], { stdio: 'ignore' });
  console.error(`README.md: schema section regenerated (${section.split('\n').length} lines)`);
} finally {
  await db.close();
}
