import type { Command } from 'commander';
import { migrateAuthServer } from '../../auth/server/migrate-auth-server.js';
import { addUser, listUsers, removeUser } from '../../auth/server/users.js';
import type { Database } from '../../sql/database.js';
import { openDatabase } from '../../sql/database.js';
import { table } from '../client/render-content.js';
import { paletteFor } from '../colors.js';
import { UsageError } from '../errors.js';
import { examples } from '../help-text.js';
import { collectKeyValue } from '../option-parsers.js';

interface DatabaseOptions {
  databaseUrl?: string;
  dataDir: string;
}

interface AddOptions extends DatabaseOptions {
  password?: string;
  claim?: Record<string, string>;
  claims?: string;
  replace?: boolean;
}

const DEFAULT_DATA_DIR = '.switchboard/data';

/** `switchboard users add|list|remove`: the built-in authorization server's users. */
export function registerUsers(program: Command): void {
  const users = program
    .command('users')
    .description("Manage the built-in authorization server's users (in its database: PGlite, or DATABASE_URL).")
    .addHelpText(
      'after',
      examples(
        ['switchboard users add ada --claim teams=\'["emea"]\'', 'a user with a random password, printed once'],
        ['switchboard users list', 'every user, oldest first'],
        ['DATABASE_URL=postgres://localhost/app switchboard users remove ada', 'in a PostgreSQL database'],
      ),
    );
  const withDatabase = (command: Command) =>
    command
      .option('--database-url <url>', 'PostgreSQL URL (default: $DATABASE_URL; without one, PGlite)')
      .option('--data-dir <dir>', 'the PGlite data folder the server uses', DEFAULT_DATA_DIR);

  withDatabase(
    users
      .command('add')
      .description('Add a user; without --password a random one is made and printed once.')
      .argument('<username>', '1-64 letters, digits or . _ @ + -')
      .option('--password <password>', 'at least 8 characters (visible in your shell history; prefer the default)')
      .option('--claim <key=value>', 'a claim for its access tokens (JSON values allowed); repeatable', collectKeyValue)
      .option('--claims <json>', 'all its claims as one JSON object')
      .option('--replace', "set an existing user's password and claims instead of refusing"),
  ).action(async (username: string, options: AddOptions) => {
    const claims = claimsOf(options);
    await withDb(options, async (db) => {
      const user = await addUser(db, { username, password: options.password, claims }, { replace: options.replace });
      const { green, bold } = paletteFor(process.stdout);
      process.stdout.write(
        `${green('✔')} ${options.replace ? 'Saved' : 'Added'} user ${bold(user.username)} (${user.id})\n`,
      );
      if (options.password === undefined) process.stdout.write(`  password: ${user.password}\n`);
    });
  });

  withDatabase(users.command('list').description('List the users.').option('--json', 'print JSON')).action(
    async (options: DatabaseOptions & { json?: boolean }) => {
      await withDb(options, async (db) => {
        const all = await listUsers(db);
        if (options.json) {
          process.stdout.write(`${JSON.stringify(all, null, 2)}\n`);
          return;
        }
        if (all.length === 0) {
          process.stdout.write('No users yet: add one with `switchboard users add <username>`.\n');
          return;
        }
        const rows = all.map((user) => [
          user.username,
          user.id,
          user.createdAt.toISOString(),
          JSON.stringify(user.claims),
        ]);
        process.stdout.write(`${table(['username', 'id', 'created', 'claims'], rows, paletteFor(process.stdout))}\n`);
      });
    },
  );

  withDatabase(
    users
      .command('remove')
      .description('Remove a user and every grant, session and token issued to them.')
      .argument('<username>'),
  ).action(async (username: string, options: DatabaseOptions) => {
    await withDb(options, async (db) => {
      if (!(await removeUser(db, username))) {
        process.stderr.write(`error: there is no user "${username}"\n`);
        process.exitCode = 1;
        return;
      }
      process.stdout.write(`Removed user ${username.toLowerCase()}\n`);
    });
  });
}

/** The claims from `--claims` and `--claim key=value` (a value that is JSON is taken as JSON). */
function claimsOf(options: AddOptions): Record<string, unknown> | undefined {
  let claims: Record<string, unknown> | undefined;
  if (options.claims !== undefined) {
    let value: unknown;
    try {
      value = JSON.parse(options.claims);
    } catch {
      throw new UsageError(`--claims: not valid JSON: ${options.claims}`);
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw new UsageError('--claims: expected a JSON object');
    }
    claims = { ...(value as Record<string, unknown>) };
  }
  for (const [key, text] of Object.entries(options.claim ?? {})) {
    claims ??= {};
    try {
      claims[key] = JSON.parse(text);
    } catch {
      claims[key] = text;
    }
  }
  return claims;
}

/** Opens the authorization server's database (migrated), runs `work`, and closes it. */
async function withDb(options: DatabaseOptions, work: (db: Database) => Promise<void>): Promise<void> {
  const url = options.databaseUrl ?? (process.env.DATABASE_URL || undefined);
  const db = await openDatabase(url === undefined ? { dataDir: options.dataDir } : { url });
  try {
    await migrateAuthServer(db);
    await work(db);
  } finally {
    await db.close();
  }
}
