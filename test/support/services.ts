/**
 * The real services integration tests run against. `.ci/run` sets DATABASE_URL and REDIS_URL, so there a service
 * that is down fails its tests; elsewhere, without the variable, they are skipped and say so.
 */
const warned = new Set<string>();

function fromEnv(variable: 'DATABASE_URL' | 'REDIS_URL', what: string): string | undefined {
  const value = process.env[variable] || undefined;
  if (value === undefined && !warned.has(variable)) {
    warned.add(variable);
    console.warn(`[skipped] ${what} tests: set ${variable} to run them (.ci/run sets it)`);
  }
  return value;
}

/** The PostgreSQL server's URL, or undefined (and a visible skip notice) when DATABASE_URL is not set. */
export function postgresUrl(): string | undefined {
  return fromEnv('DATABASE_URL', 'PostgreSQL');
}

/** The Redis server's URL, or undefined (and a visible skip notice) when REDIS_URL is not set. */
export function redisUrl(): string | undefined {
  return fromEnv('REDIS_URL', 'Redis');
}

/** The database engines every SQL test runs on: PGlite always, PostgreSQL when DATABASE_URL is set. */
export function sqlEngines(): { name: 'pglite' | 'postgres'; url: string | undefined }[] {
  const url = postgresUrl();
  return [{ name: 'pglite', url: undefined }, ...(url === undefined ? [] : [{ name: 'postgres' as const, url }])];
}
