import type { Command } from 'commander';
import { paletteFor } from '../colors.js';
import { renderReport } from '../doctor/render-report.js';
import { runDoctor } from '../doctor/run-doctor.js';
import { examples } from '../help-text.js';
import { serverUrl } from '../oauth-options.js';

/** `switchboard doctor <url>`: checks a deployed server against what real MCP clients need. */
export function registerDoctor(program: Command): void {
  program
    .command('doctor')
    .description(
      'Check a deployed server against what Claude, ChatGPT, Cursor, VS Code, Codex and the Inspector need: pass/warn/fail per check and per client, each failure with what to change.',
    )
    .argument('<url>', "the server's MCP endpoint")
    .option('--json', 'print the report as JSON')
    .addHelpText(
      'after',
      examples(
        [
          'switchboard doctor https://mcp.example.com/mcp',
          'the table of checks and clients; exit 1 if any check fails',
        ],
        [
          'switchboard login https://mcp.example.com/mcp && switchboard doctor https://mcp.example.com/mcp',
          'signed in, the checks behind authorization run too',
        ],
        ['switchboard doctor http://127.0.0.1:3000/mcp --json', 'for CI'],
      ),
    )
    .action(async (url: string, flags: { json?: boolean }) => {
      const report = await runDoctor(serverUrl(url));
      process.stdout.write(
        flags.json ? `${JSON.stringify(report, null, 2)}\n` : renderReport(report, paletteFor(process.stdout)),
      );
      if (report.checks.some((check) => check.status === 'fail')) process.exitCode = 1;
    });
}
