import { mkdir } from 'node:fs/promises';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import type { Browser, Frame, Page } from 'playwright-core';
import { chromium } from 'playwright-core';
import type { HttpServerHandle } from 'switchboard-mcp/http';
import type { TestDatabase } from 'switchboard-mcp/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sqlEngines } from '../../test/support/services.js';
import { createVoiceEvalServer } from './src/create-server.js';
import type { EvalRunReport } from './src/schemas/eval-run.js';
import type { AppsHost } from './test-support/apps-host/serve-apps-host.js';
import { serveAppsHost } from './test-support/apps-host/serve-apps-host.js';
import { findRun, NOW, SETUP_TIMEOUT_MS, seededDatabase } from './test-support/seeded-database.js';

const SCREENSHOTS = new URL('./.switchboard/screenshots/', import.meta.url);
let browser: Browser;

beforeAll(async () => {
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  await mkdir(SCREENSHOTS, { recursive: true });
}, SETUP_TIMEOUT_MS);
afterAll(() => browser?.close());

describe.each(sqlEngines())('the eval-run view in an MCP Apps host, on $name', ({ name, url }) => {
  let db: TestDatabase;
  let http: HttpServerHandle;
  let client: Client;
  let host: AppsHost;
  beforeAll(async () => {
    db = await seededDatabase(url);
    http = await (await createVoiceEvalServer({ db, now: () => NOW })).listen({ port: 0, host: '127.0.0.1' });
    // The host's own MCP client, advertising MCP Apps support as a host does.
    client = new Client(
      { name: 'apps-host', version: '1.0.0' },
      { capabilities: { extensions: { 'io.modelcontextprotocol/ui': { mimeTypes: ['text/html;profile=mcp-app'] } } } },
    );
    await client.connect(new StreamableHTTPClientTransport(new URL(http.url)));
    host = await serveAppsHost(client);
  }, SETUP_TIMEOUT_MS);
  afterAll(async () => {
    await client?.close();
    await host?.close();
    await http?.close();
    await db?.dispose();
  });

  /** Opens the host on a tool call and returns the page, the view's frame and every request the page made. */
  async function open(runId: number, theme = 'light'): Promise<{ page: Page; view: Frame; requests: string[] }> {
    // Tall enough for the whole view: a full-page capture does not repaint cross-origin frames beyond the viewport.
    const page = await browser.newPage({ viewport: { width: 1040, height: 1400 }, deviceScaleFactor: 1 });
    const requests: string[] = [];
    page.on('request', (request) => requests.push(request.url()));
    const args = encodeURIComponent(JSON.stringify({ run_id: runId }));
    await page.goto(`${host.pageUrl}?tool=get_eval_run&args=${args}&sandbox=${host.sandboxOrigin}&theme=${theme}`);
    await page.frameLocator('iframe').frameLocator('iframe').locator('[data-testid=pass-rate]').waitFor();
    const view = page.frames().find((frame) => frame.parentFrame()?.parentFrame() === page.mainFrame());
    if (view === undefined) throw new Error('the view frame is missing');
    return { page, view, requests };
  }

  async function expected(runId: number): Promise<EvalRunReport> {
    const result = await client.callTool({ name: 'get_eval_run', arguments: { run_id: runId } });
    return result.structuredContent as unknown as EvalRunReport;
  }

  it('renders the real tool result with the right numbers', async () => {
    const runId = await findRun(db, 'appointment-booking', "v.version = 'v15' AND r.trigger = 'deploy'");
    const report = await expected(runId);
    const { page, view, requests } = await open(runId);
    try {
      const text = (testId: string) => view.locator(`[data-testid=${testId}]`).first().textContent();
      expect(await text('pass-rate')).toBe(`${((report.run.pass_rate ?? 0) * 100).toFixed(1)}%`);
      const points = Math.round((report.delta?.pass_rate ?? 0) * 1000) / 10;
      expect(points).toBeLessThan(-40);
      expect(await text('pass-rate-delta')).toBe(
        `\u25bc \u2212${Math.abs(points).toFixed(1)} pts vs #${report.previous_run?.id}`,
      );
      expect(await view.locator('[data-testid=pass-rate-delta]').getAttribute('class')).toContain('worse');
      expect(await text('cases-passed')).toBe(`${report.run.totals.passed}/${report.run.totals.cases}`);
      expect(await text('p95-latency')).toBe(`${report.run.p95_latency_ms?.toLocaleString('en-US')} ms`);
      expect(await text('run-status')).toBe('failed');
      expect(await text('agent-changes')).toContain('version: v14 -> v15');
      const rows = view.locator('[data-testid=failing-assertion]');
      expect(await rows.evaluateAll((els) => els.map((el) => el.getAttribute('data-kind')))).toEqual(
        report.failing_assertions.map((a) => a.kind),
      );
      expect(await rows.first().locator('[data-testid=failed-count]').textContent()).toBe(
        `${report.failing_assertions[0]?.failed}/${report.failing_assertions[0]?.checked}`,
      );
      const dots = view.locator('[data-testid=pass-rate-chart] circle.point');
      expect(await dots.count()).toBe(report.pass_rate_history.length);
      expect(await view.locator('circle.point.current').getAttribute('data-run-id')).toBe(String(runId));
      expect(await view.locator('[data-testid=worst-case]').count()).toBe(report.worst_cases.length);
      await page.screenshot({ path: new URL(`eval-run-view-${name}.png`, SCREENSHOTS).pathname, fullPage: true });
      // The view fetched nothing: only the host page and its sandbox proxy were loaded.
      const origins = new Set(requests.map((r) => new URL(r).origin));
      expect([...origins].sort()).toEqual([new URL(host.pageUrl).origin, host.sandboxOrigin].sort());
      // ext-apps lifecycle: initialize, initialized, and only then the tool input and result.
      const log = (await page.evaluate('globalThis.hostLog')) as { from?: string; to?: string; method?: string }[];
      const at = (predicate: (entry: (typeof log)[number]) => boolean) => log.findIndex(predicate);
      expect(at((e) => e.from === 'view' && e.method === 'ui/initialize')).toBeGreaterThan(-1);
      const initialized = at((e) => e.from === 'view' && e.method === 'ui/notifications/initialized');
      expect(initialized).toBeGreaterThan(at((e) => e.from === 'view' && e.method === 'ui/initialize'));
      expect(at((e) => e.to === 'view' && e.method === 'ui/notifications/tool-input')).toBeGreaterThan(initialized);
      expect(at((e) => e.to === 'view' && e.method === 'ui/notifications/tool-result')).toBeGreaterThan(initialized);
      expect(at((e) => e.from === 'view' && e.method === 'ui/notifications/size-changed')).toBeGreaterThan(-1);
    } finally {
      await page.close();
    }
  });

  it('opens another run through the host when a point of the chart is clicked', async () => {
    const runId = await findRun(db, 'reservations', 'r.id = (SELECT max(id) FROM eval_runs WHERE suite_id = s.id)');
    const report = await expected(runId);
    const before = report.pass_rate_history.filter((p) => p.agent_version === 'v8').at(-1);
    const { page, view } = await open(runId, 'dark');
    try {
      expect(await view.locator('[data-testid=agent-changes]').count()).toBe(0);
      await view.locator(`circle.point[data-run-id="${before?.run_id}"]`).click();
      await view.locator(`circle.point.current[data-run-id="${before?.run_id}"]`).waitFor();
      const older = await expected(before?.run_id ?? 0);
      expect(await view.locator('[data-testid=pass-rate]').textContent()).toBe(
        `${((older.run.pass_rate ?? 0) * 100).toFixed(1)}%`,
      );
      expect(await view.locator('header .meta').textContent()).toContain(`Run #${before?.run_id}`);
      const background = await view.evaluate('getComputedStyle(document.body).backgroundColor');
      expect(background).toBe('rgb(21, 23, 28)');
      await page.screenshot({ path: new URL(`eval-run-view-dark-${name}.png`, SCREENSHOTS).pathname, fullPage: true });
    } finally {
      await page.close();
    }
  });

  it('shows the tool error when the run does not exist', async () => {
    const page = await browser.newPage();
    try {
      const args = encodeURIComponent(JSON.stringify({ run_id: 999_999 }));
      await page.goto(`${host.pageUrl}?tool=get_eval_run&args=${args}&sandbox=${host.sandboxOrigin}`);
      const status = page.frameLocator('iframe').frameLocator('iframe').locator('#status.error');
      await status.waitFor();
      expect(await status.textContent()).toMatch(/^run_id: there is no eval run 999999/);
    } finally {
      await page.close();
    }
  });
});
