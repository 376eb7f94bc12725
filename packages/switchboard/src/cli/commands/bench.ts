import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import { runBench } from '../client/bench-run.js';
import type { ClientCommandOptions } from '../client/open-client.js';
import { addClientOptions, openClient, splitOperands } from '../client/open-client.js';
import { bar, ProgressDisplay } from '../client/progress-bar.js';
import { table } from '../client/render-content.js';
import { parseToolArguments } from '../client/tool-arguments.js';
import { paletteFor } from '../colors.js';
import { UsageError } from '../errors.js';
import { examples } from '../help-text.js';

interface BenchOptions extends ClientCommandOptions {
  args?: string;
  concurrency: number;
  duration: number;
  requests?: number;
  expect?: string;
}

/** `switchboard bench <target> <tool> [key=value...]`: a closed-loop load test of one tool. */
export function registerBench(program: Command, server: string[] | undefined): void {
  addClientOptions(
    program
      .command('bench')
      .usage('[options] <target> <tool> [key=value...]   (or: bench <tool> [key=value...] -- <command> [args...])')
      .description('Load-test one tool: closed-loop workers for a while, every answer checked; req/s and latencies.')
      .argument('[operands...]', 'the target (a URL or a configured server name), the tool, then key=value arguments'),
  )
    .option('--args <json>', 'the arguments as one JSON object (key=value operands win)')
    .option('-c, --concurrency <n>', 'calls in flight at once', positiveInteger, 10)
    .option('-d, --duration <seconds>', 'how long to run', positiveNumber, 10)
    .option('-n, --requests <n>', 'stop after this many calls, if sooner', positiveInteger)
    .option('--expect <text>', "text every answer's content must contain")
    .addHelpText(
      'after',
      examples(
        ['switchboard bench http://127.0.0.1:3000/mcp add a=1 b=2 -c 20 -d 30', '20 clients for 30 s'],
        ['switchboard bench add a=1 b=2 --era 2025-11-25 --expect 3 -- node server.js', 'a stdio server, 2025 era'],
      ),
    )
    .action(async (operands: string[], options: BenchOptions) => {
      const [target, rest] = splitOperands(operands, server);
      const [tool, ...pairs] = rest;
      if (tool === undefined) throw new UsageError('missing the tool to call');
      const session = await openClient(target, { ...options, logLevel: 'none' });
      const display = new ProgressDisplay();
      try {
        const definition = (await session.client.listTools()).find((candidate) => candidate.name === tool);
        if (definition === undefined) throw new UsageError(`the server has no tool named "${tool}"`);
        const args = parseToolArguments(pairs, options.args, definition.inputSchema);
        const durationMs = options.duration * 1000;
        const result = await runBench(session.client, {
          tool,
          args,
          concurrency: options.concurrency,
          durationMs,
          maxRequests: options.requests,
          expect: options.expect,
          onTick: (done, elapsed) =>
            display.status(`${bar(elapsed, durationMs)} ${(elapsed / 1000).toFixed(1)} s, ${done} calls`),
        });
        display.done();
        if (result.errors > 0) process.exitCode = 1;
        if (options.json) {
          const { serverInfo, protocolVersion } = session.client.server;
          process.stdout.write(
            `${JSON.stringify({ tool, concurrency: options.concurrency, protocolVersion, serverInfo, ...result }, null, 2)}\n`,
          );
          return;
        }
        const palette = paletteFor(process.stdout);
        const ms = (value: number) => `${value.toFixed(2)} ms`;
        const summary = table(
          ['requests', 'req/s', 'p50', 'p99', 'p999', 'max', 'errors'],
          [
            [
              String(result.requests),
              result.requestsPerSecond.toFixed(1),
              ms(result.p50Ms),
              ms(result.p99Ms),
              ms(result.p999Ms),
              ms(result.maxMs),
              String(result.errors),
            ],
          ],
          palette,
        );
        const heading = `${tool} · ${session.client.server.protocolVersion} · ${options.concurrency} in flight · ${(result.elapsedMs / 1000).toFixed(1)} s`;
        const kinds = Object.entries(result.errorKinds).map(([kind, count]) => palette.red(`  ${count} × ${kind}`));
        process.stdout.write(`${[palette.dim(heading), summary, ...kinds].join('\n')}\n`);
      } finally {
        display.done();
        await session.close();
      }
    });
}

function positiveInteger(value: string): number {
  if (!/^\d+$/.test(value) || Number(value) < 1) throw new InvalidArgumentError('expected a whole number above 0.');
  return Number(value);
}

function positiveNumber(value: string): number {
  const number = Number(value);
  if (!Number.isFinite(number) || number <= 0) throw new InvalidArgumentError('expected a number of seconds above 0.');
  return number;
}
