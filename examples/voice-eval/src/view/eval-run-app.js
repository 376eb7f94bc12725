// Renders a get_eval_run result: KPIs with the delta against the previous run, the suite's pass rate over its
// last runs (pass-rate-chart.js), failing assertions by kind and the worst cases.
(() => {
  const bridge = globalThis.McpAppBridge;
  const app = document.getElementById('app');
  let hostCapabilities = {};

  function h(tag, attributes = {}, ...children) {
    const element = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes)) {
      if (value !== undefined && value !== null && value !== false) element.setAttribute(name, String(value));
    }
    for (const child of children.flat()) {
      if (child !== undefined && child !== null && child !== false) element.append(child);
    }
    return element;
  }

  const percent = (rate) => (rate === null || rate === undefined ? 'n/a' : `${(rate * 100).toFixed(1)}%`);
  const ms = (value) => (value === null || value === undefined ? 'n/a' : `${value.toLocaleString('en-US')} ms`);
  const usd = (value) => `$${value.toFixed(2)}`;
  const cents = (value) => (value === null || value === undefined ? value : Math.round(value * 100) / 100);
  const signed = (value, text) =>
    value > 0 ? `+${text}` : value < 0 ? `\u2212${text.replace('-', '')}` : `\u00b1${text}`;
  const when = (iso, withTime = true) =>
    new Date(iso).toLocaleString('en-US', {
      month: 'short',
      day: 'numeric',
      ...(withTime ? { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' } : {}),
      timeZone: 'UTC',
    }) + (withTime ? ' UTC' : '');

  /** A delta chip; `lowerIsBetter` for latency and cost. `value` is rounded to what `text` shows. */
  function delta(value, text, lowerIsBetter, testId) {
    if (value === null || value === undefined)
      return h('span', { class: 'delta same', 'data-testid': testId }, 'no previous run');
    const better = lowerIsBetter ? value < 0 : value > 0;
    const tone = value === 0 ? 'same' : better ? 'better' : 'worse';
    const arrow = value === 0 ? '' : value > 0 ? '\u25b2 ' : '\u25bc ';
    return h(
      'span',
      { class: `delta ${tone}`, 'data-testid': testId, 'data-value': value },
      arrow + signed(value, text),
    );
  }

  function kpi(label, value, chip, testId, hero) {
    return h(
      'div',
      { class: `card kpi${hero ? ' hero' : ''}` },
      h('div', { class: 'label' }, label),
      h('div', { class: 'value', 'data-testid': testId }, value),
      chip,
    );
  }

  function header(run) {
    const v = run.agent_version;
    return h(
      'header',
      {},
      h(
        'div',
        {},
        h('h1', {}, `${run.agent.name} \u00b7 ${run.suite.name}`),
        h(
          'div',
          { class: 'meta' },
          `Run #${run.id} \u00b7 ${run.trigger} \u00b7 ${when(run.started_at)} \u00b7 ${v.version} \u00b7 `,
          h('code', {}, run.git_sha.slice(0, 7)),
        ),
      ),
      h('span', { class: `pill ${run.status}`, 'data-testid': 'run-status' }, run.status),
    );
  }

  function kpis(report) {
    const { run, delta: d, previous_run: previous } = report;
    const since = previous ? ` vs #${previous.id}` : '';
    const points = d?.pass_rate === null || d?.pass_rate === undefined ? null : Math.round(d.pass_rate * 1000) / 10;
    return h(
      'div',
      { class: 'kpis' },
      kpi(
        'Pass rate',
        percent(run.pass_rate),
        delta(points, `${Math.abs(points ?? 0).toFixed(1)} pts${since}`, false, 'pass-rate-delta'),
        'pass-rate',
        true,
      ),
      kpi(
        'Cases',
        `${run.totals.passed}/${run.totals.cases}`,
        h(
          'span',
          { class: 'sub', 'data-testid': 'case-totals' },
          `${run.totals.failed} failed \u00b7 ${run.totals.errored} errored`,
        ),
        'cases-passed',
      ),
      kpi(
        'p95 turn latency',
        ms(run.p95_latency_ms),
        delta(d?.p95_latency_ms, ms(Math.abs(d?.p95_latency_ms ?? 0)), true, 'p95-delta'),
        'p95-latency',
      ),
      kpi(
        'First audio (p50)',
        ms(run.time_to_first_audio_p50_ms),
        delta(d?.time_to_first_audio_p50_ms, ms(Math.abs(d?.time_to_first_audio_p50_ms ?? 0)), true, 'ttfa-delta'),
        'ttfa',
      ),
      kpi(
        'Cost',
        usd(run.cost_usd),
        delta(cents(d?.cost_usd), usd(Math.abs(d?.cost_usd ?? 0)), true, 'cost-delta'),
        'cost',
      ),
    );
  }

  function changes(report) {
    const d = report.delta;
    if (!d || d.changes.length === 0) return null;
    return h(
      'div',
      { class: 'callout', 'data-testid': 'agent-changes' },
      h('strong', {}, `Agent changed since #${report.previous_run.id}: `),
      ...d.changes.map((change, i) => [i > 0 ? ', ' : '', h('code', {}, change)]),
      h('div', { class: 'why' }, report.run.agent_version.changelog),
    );
  }

  function chart(report) {
    const svg = globalThis.PassRateChart.render(report.pass_rate_history, report.run.id, openRun);
    const runs = report.pass_rate_history.filter((p) => p.pass_rate !== null).length;
    const hint = hostCapabilities.serverTools ? ' \u00b7 click a point to open that run' : '';
    return h(
      'section',
      { class: 'card chart' },
      h('h2', {}, `Pass rate \u00b7 last ${runs} runs of ${report.run.suite.slug}`),
      svg,
      h('div', { class: 'meta' }, `Dashed lines mark releases${hint}.`),
    );
  }

  function failing(report) {
    const rows = report.failing_assertions.map((a) => {
      const example = a.examples[0];
      return h(
        'tr',
        { 'data-testid': 'failing-assertion', 'data-kind': a.kind },
        h(
          'td',
          {},
          h('span', { class: 'kind' }, a.kind),
          h('span', { class: 'tag' }, a.category),
          a.new_in_this_run ? h('span', { class: 'tag new' }, 'new') : null,
        ),
        h(
          'td',
          { class: 'count' },
          h('span', { 'data-testid': 'failed-count' }, `${a.failed}/${a.checked}`),
          h('div', { class: 'bar' }, h('span', { style: `width:${Math.round((a.failed / a.checked) * 100)}%` })),
        ),
        h(
          'td',
          {},
          example
            ? [
                h(
                  'div',
                  { class: 'example' },
                  h('span', { class: 'expected' }, example.expected),
                  ' \u2192 ',
                  h('span', { class: 'actual' }, example.actual ?? '(nothing)'),
                ),
                h('div', { class: 'why' }, `${example.case}: ${example.reasoning}`),
              ]
            : null,
        ),
      );
    });
    return h(
      'section',
      { class: 'card' },
      h('h2', {}, 'Failing assertions'),
      rows.length === 0
        ? h('p', { class: 'empty' }, 'Every assertion passed.')
        : h(
            'table',
            {},
            h(
              'thead',
              {},
              h(
                'tr',
                {},
                h('th', {}, 'Assertion'),
                h('th', {}, 'Failed'),
                h('th', {}, 'Example: expected \u2192 actual'),
              ),
            ),
            h('tbody', {}, rows),
          ),
    );
  }

  function worst(report) {
    const items = report.worst_cases.map((c) =>
      h(
        'li',
        { 'data-testid': 'worst-case' },
        h(
          'div',
          {},
          h('strong', {}, c.title),
          h(
            'div',
            { class: 'why' },
            c.error ?? (c.failed_assertions.length ? `failed: ${c.failed_assertions.join(', ')}` : ''),
          ),
        ),
        h(
          'div',
          { class: 'stats' },
          h('span', { class: `pill ${c.status}` }, c.status),
          ` score ${c.score === null ? 'n/a' : c.score.toFixed(2)} \u00b7 first audio ${ms(c.time_to_first_audio_ms)} \u00b7 WER ${c.wer === null ? 'n/a' : `${(c.wer * 100).toFixed(1)}%`}`,
        ),
      ),
    );
    return h(
      'section',
      { class: 'card' },
      h('h2', {}, 'Worst cases'),
      items.length === 0 ? h('p', { class: 'empty' }, 'No failing cases.') : h('ul', { class: 'cases' }, items),
    );
  }

  function render(report) {
    app.replaceChildren(
      header(report.run),
      kpis(report),
      changes(report) ?? '',
      chart(report),
      failing(report),
      worst(report),
    );
  }

  function showStatus(message, isError) {
    app.replaceChildren(h('p', { class: `placeholder${isError ? ' error' : ''}`, id: 'status' }, message));
  }

  /** A CallToolResult: structuredContent when the host passes it, else the JSON text block. */
  function showResult(result) {
    const texts = (result?.content ?? []).filter((block) => block.type === 'text').map((block) => block.text);
    if (result?.isError) return showStatus(texts.join('\n') || 'The tool failed.', true);
    let report = result?.structuredContent;
    for (const candidate of texts) {
      if (report) break;
      try {
        report = JSON.parse(candidate);
      } catch {}
    }
    if (report?.run) render(report);
    else showStatus('The result holds no eval run.', true);
  }

  async function openRun(runId) {
    if (!hostCapabilities.serverTools) return;
    showStatus(`Loading run #${runId}\u2026`);
    try {
      showResult(await bridge.request('tools/call', { name: 'get_eval_run', arguments: { run_id: runId } }));
    } catch (error) {
      showStatus(`Could not load run #${runId}: ${error.message}`, true);
    }
  }

  function applyContext(context) {
    if (context.theme) document.documentElement.dataset.theme = context.theme;
    for (const [name, value] of Object.entries(context.styles?.variables ?? {})) {
      if (value) document.documentElement.style.setProperty(name, value);
    }
  }

  bridge.on('ui/notifications/tool-input', (params) =>
    showStatus(`Loading run #${params.arguments?.run_id ?? ''}\u2026`),
  );
  bridge.on('ui/notifications/tool-result', showResult);
  bridge.on('ui/notifications/tool-cancelled', (params) =>
    showStatus(`Cancelled${params.reason ? `: ${params.reason}` : ''}.`, true),
  );
  bridge.on('ui/notifications/host-context-changed', applyContext);
  bridge.on('ui/resource-teardown', () => ({}));
  bridge.connect({ name: 'voice-eval-run', version: '1.0.0' }).then(
    (init) => {
      hostCapabilities = init.hostCapabilities ?? {};
      applyContext(init.hostContext ?? {});
    },
    (error) => showStatus(`The host refused the view: ${error.message}`, true),
  );
})();
