// The pass-rate-over-time chart of the eval-run view, as hand-written SVG: one point per run, dashed lines where
// the agent version changed, the current run highlighted. No chart library: hosts block CDNs.
globalThis.PassRateChart = (() => {
  const SVG = 'http://www.w3.org/2000/svg';

  function s(tag, attributes = {}, ...children) {
    const element = document.createElementNS(SVG, tag);
    for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, String(value));
    element.append(...children);
    return element;
  }

  const percent = (rate) => `${(rate * 100).toFixed(1)}%`;
  const when = (iso, withTime = true) =>
    new Date(iso).toLocaleString('en-US', {
      month: 'short',
      day: 'numeric',
      ...(withTime ? { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' } : {}),
      timeZone: 'UTC',
    }) + (withTime ? ' UTC' : '');

  /** The SVG chart of `history` (oldest first); `currentRunId` is highlighted, `onOpen` runs on a click. */
  function passRateSvg(history, currentRunId, onOpen) {
    const points = history.filter((p) => p.pass_rate !== null);
    const width = 640;
    const height = 210;
    const left = 38;
    const right = 14;
    const top = 24;
    const bottom = 28;
    const x = (i) =>
      left + (points.length === 1 ? (width - left - right) / 2 : (i * (width - left - right)) / (points.length - 1));
    const y = (rate) => top + (1 - rate) * (height - top - bottom);
    const svg = s('svg', {
      viewBox: `0 0 ${width} ${height}`,
      role: 'img',
      'aria-label': 'Pass rate over time',
      'data-testid': 'pass-rate-chart',
    });
    for (const tick of [0, 0.25, 0.5, 0.75, 1]) {
      svg.append(s('line', { class: 'grid', x1: left, x2: width - right, y1: y(tick), y2: y(tick) }));
      svg.append(s('text', { class: 'axis', x: left - 6, y: y(tick) + 3.5, 'text-anchor': 'end' }, `${tick * 100}%`));
    }
    points.forEach((point, i) => {
      const previous = points[i - 1];
      if (previous && previous.agent_version !== point.agent_version) {
        const at = (x(i - 1) + x(i)) / 2;
        svg.append(s('line', { class: 'release', x1: at, x2: at, y1: top - 8, y2: height - bottom }));
        svg.append(s('text', { class: 'release-label', x: at + 4, y: top - 10 }, point.agent_version));
      }
      const last = i === points.length - 1;
      if (i === 0 || (i % 7 === 0 && points.length - 1 - i >= 4) || last) {
        svg.append(
          s(
            'text',
            { class: 'axis', x: x(i), y: height - 8, 'text-anchor': last ? 'end' : 'middle' },
            when(point.started_at, false),
          ),
        );
      }
    });
    const path = points
      .map((p, i) => `${i === 0 ? 'M' : 'L'}${x(i).toFixed(1)},${y(p.pass_rate).toFixed(1)}`)
      .join(' ');
    if (points.length > 1) {
      svg.append(s('path', { class: 'area', d: `${path} L${x(points.length - 1)},${y(0)} L${x(0)},${y(0)} Z` }));
      svg.append(s('path', { class: 'line', d: path }));
    }
    points.forEach((point, i) => {
      const current = point.run_id === currentRunId;
      if (current) svg.append(s('circle', { class: 'halo', cx: x(i), cy: y(point.pass_rate), r: 9 }));
      const dot = s(
        'circle',
        {
          class: `point${current ? ' current' : ''}${point.status === 'errored' ? ' errored' : ''}`,
          cx: x(i),
          cy: y(point.pass_rate),
          r: current ? 5 : 3.5,
          'data-run-id': point.run_id,
          tabindex: 0,
        },
        s(
          'title',
          {},
          `Run #${point.run_id} \u00b7 ${when(point.started_at)} \u00b7 ${point.agent_version} \u00b7 ${point.trigger} \u00b7 ${percent(point.pass_rate)}`,
        ),
      );
      dot.addEventListener('click', () => onOpen(point.run_id));
      svg.append(dot);
    });
    return svg;
  }

  return { render: passRateSvg };
})();
