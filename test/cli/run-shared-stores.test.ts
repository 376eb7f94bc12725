import { fileURLToPath } from 'node:url';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { freePort, waitFor } from '../support/free-port.js';
import { legacyHeaders, openLegacySession, post } from '../support/http.js';
import { postgresUrl } from '../support/services.js';
import { sharedStoreServices } from '../support/shared-store-services.js';
import { assertBuilt, CliProcess, cliEnv, runCli } from './cli-process.js';

const quickstart = fileURLToPath(new URL('../../examples/quickstart/server.ts', import.meta.url));
const pg = postgresUrl();

/** Servers a test started; each is stopped after its test, whatever the test's outcome. */
const started: CliProcess[] = [];
function start(args: string[], env: NodeJS.ProcessEnv): CliProcess {
  const cli = new CliProcess(args, { env: cliEnv({ SWITCHBOARD_LOG_LEVEL: 'info', ...env }) });
  started.push(cli);
  return cli;
}

/** The JSON line of the start-up log, once the CLI has printed it. */
async function listening(cli: CliProcess): Promise<{ url: string; stores: string }> {
  const [line = ''] = await cli.waitFor('stderr', /^.*"MCP server listening".*$/m);
  return JSON.parse(line) as { url: string; stores: string };
}

function add(url: string, session: string): Promise<Response> {
  const body = JSON.stringify({
    jsonrpc: '2.0',
    id: 2,
    method: 'tools/call',
    params: { name: 'add', arguments: { a: 2, b: 3 } },
  });
  return post(url, body, legacyHeaders(session));
}

beforeAll(assertBuilt);
afterEach(async () => {
  await Promise.all(started.splice(0).map((cli) => cli.stop()));
});

// Each test starts CLI processes (tsx loading TypeScript): seconds alone, far more on a loaded machine.
describe.skipIf(pg === undefined)('switchboard run --shared-stores', { timeout: 60_000 }, () => {
  const services = sharedStoreServices(pg);

  it('serves two processes that share a session through Redis, says so at start, and closes its clients', async () => {
    const env = { REDIS_URL: services.redis.url, DATABASE_URL: services.db.url };
    const [one, two] = [0, 1].map(() => start(['run', quickstart, '--port', '0', '--shared-stores'], env));
    const [first, second] = await Promise.all([listening(one as CliProcess), listening(two as CliProcess)]);
    expect(first.stores).toBe(
      `sessions, events and bus in Redis at ${services.redis.url}; tasks in PostgreSQL at ${services.db.url?.replace(/\/\/([^:@/]+):[^@]+@/, '//$1:***@')}`,
    );
    const session = await openLegacySession(first.url);
    const answer = await add(second.url, session);
    expect(answer.status).toBe(200);
    expect(await answer.text()).toContain('"text":"5"');
    expect(await Promise.all([one?.stop('SIGTERM'), two?.stop('SIGTERM')])).toEqual([0, 0]);
    await waitFor('Redis to see both instances gone', async () => {
      const list = (await services.observer.client('LIST')) as string;
      return !/ name=switchboard /.test(list);
    });
  });

  it('fails the start with a clear message when Redis is down, and exits 1 by itself', async () => {
    const port = await freePort();
    const result = await runCli(['run', quickstart, '--port', '0', '--shared-stores'], {
      env: cliEnv({ REDIS_URL: `redis://:secret@127.0.0.1:${port}`, SWITCHBOARD_LOG_LEVEL: 'info' }),
    });
    expect(result.code).toBe(1);
    const fatal = JSON.parse(result.stderr.split('\n').find((line) => line.includes('"level":60')) ?? '{}');
    expect(fatal.msg).toMatch(
      new RegExp(`^the server could not start: Cannot reach Redis at redis://:\\*\\*\\*@127\\.0\\.0\\.1:${port}: `),
    );
    expect(result.stderr).not.toContain('secret');
    expect(result.stderr).not.toContain('MCP server listening');
  });

  it('switchboard dev --shared-stores serves with them and names them in its banner', async () => {
    const cli = start(['dev', quickstart, '--port', '0', '--shared-stores'], {
      REDIS_URL: services.redis.url,
      DATABASE_URL: '',
    });
    const [, url = ''] = await cli.waitFor('stderr', /MCP\s+(http:\/\/127\.0\.0\.1:\d+\/mcp)/);
    await cli.waitFor(
      'stderr',
      /Stores\s+sessions, events and bus in Redis at redis:\/\/127\.0\.0\.1:\d+; tasks in this process's memory/,
    );
    const session = await openLegacySession(url);
    const stored = await services.observer.keys('switchboard:session*');
    expect(stored.some((key) => key.includes(session))).toBe(true);
  });

  it('is a usage error without REDIS_URL', async () => {
    const result = await runCli(['run', quickstart, '--port', '0', '--shared-stores'], {
      env: cliEnv({ REDIS_URL: '' }),
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--shared-stores needs REDIS_URL');
  });

  it('keeps memory stores without the flag, and warns once listening that REDIS_URL alone does not share them', async () => {
    const cli = start(['run', quickstart, '--port', '0'], { REDIS_URL: services.redis.url });
    const { stores } = await listening(cli);
    expect(stores).toBe('memory (this process only)');
    await cli.waitFor('stderr', /REDIS_URL is set, yet this server keeps sessions, events and tasks in memory/);
  });
});
