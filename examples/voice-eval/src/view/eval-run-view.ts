import { readFileSync } from 'node:fs';
import type { Switchboard } from 'switchboard-mcp';
import { EVALS_READ } from '../scopes.js';

/** The MCP Apps extension id (SEP-1865). */
export const UI_EXTENSION = 'io.modelcontextprotocol/ui';
/** ext-apps 2026-01-26 §UI Resource Format: the content MUST carry this MIME type. */
export const MCP_APP_MIME_TYPE = 'text/html;profile=mcp-app';
/** ext-apps 2026-01-26 §UI Resource Format: the URI MUST use the ui:// scheme. */
export const EVAL_RUN_VIEW_URI = 'ui://voice-eval/eval-run.html';

const read = (name: string) => readFileSync(new URL(name, import.meta.url), 'utf8');

/**
 * The view as one self-contained HTML document: styles and scripts inline, no external requests, so it runs
 * under the restrictive CSP hosts apply when a resource declares no domains.
 */
export function evalRunViewHtml(): string {
  const script = ['./mcp-app-bridge.js', './pass-rate-chart.js', './eval-run-app.js'].map(read).join('\n');
  return read('./eval-run.html')
    .replace('/*STYLE*/', () => read('./eval-run.css'))
    .replace('/*SCRIPT*/', () => script);
}

/** Registers the `ui://` resource `get_eval_run` points to (`_meta.ui.resourceUri`). */
export function registerEvalRunView(server: Switchboard): void {
  const html = evalRunViewHtml();
  const ui = { prefersBorder: true, csp: { connectDomains: [], resourceDomains: [] } };
  server.resource(
    EVAL_RUN_VIEW_URI,
    {
      name: 'eval_run_view',
      title: 'Eval run view',
      description:
        'MCP Apps view of a get_eval_run result: KPIs, pass rate over time, failing assertions, worst cases.',
      mimeType: MCP_APP_MIME_TYPE,
      _meta: { ui },
      scopes: [EVALS_READ],
    },
    (uri) => ({ contents: [{ uri, mimeType: MCP_APP_MIME_TYPE, text: html, _meta: { ui } }] }),
  );
}
