import type { Palette } from '../colors.js';
import type { Status } from './check.js';
import type { DoctorReport } from './run-doctor.js';

const MARK: Record<Status, string> = { pass: '✔ pass', warn: '! warn', fail: '✖ fail', skip: '- skip' };

/** The report as a terminal table: one row per check with its fix beneath, then one row per client. */
export function renderReport(report: DoctorReport, palette: Palette): string {
  const paint: Record<Status, (text: string) => string> = {
    pass: palette.green,
    warn: palette.yellow,
    fail: palette.red,
    skip: palette.dim,
  };
  const width = Math.max(...report.checks.map((check) => check.title.length));
  const lines = [palette.bold(`switchboard doctor ${report.url}`), ''];
  lines.push(palette.bold('Checks'));
  for (const check of report.checks) {
    lines.push(`  ${paint[check.status](MARK[check.status])}  ${check.title.padEnd(width)}  ${check.detail}`);
    if (check.fix !== undefined)
      lines.push(`  ${' '.repeat(6)}  ${' '.repeat(width)}  ${palette.cyan(`→ ${check.fix}`)}`);
  }
  lines.push('', palette.bold('Clients'));
  const clientWidth = Math.max(...report.clients.map((verdict) => verdict.client.length));
  for (const verdict of report.clients) {
    const because = verdict.because.length > 0 ? palette.dim(`  (${verdict.because.join(', ')})`) : '';
    lines.push(`  ${verdict.client.padEnd(clientWidth)}  ${paint[verdict.status](MARK[verdict.status])}${because}`);
  }
  const count = (status: Status) => report.checks.filter((check) => check.status === status).length;
  lines.push(
    '',
    `${count('pass')} passed, ${count('warn')} warnings, ${count('fail')} failed, ${count('skip')} skipped`,
  );
  if (!report.signedIn && report.checks.some((check) => check.detail.includes('switchboard login'))) {
    lines.push(palette.dim(`Sign in with \`switchboard login ${report.url}\` to run the checks that need a token.`));
  }
  return `${lines.join('\n')}\n`;
}
