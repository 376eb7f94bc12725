import type { ChildProcess } from 'node:child_process';
import { relative } from 'node:path';
import type { Palette } from '../colors.js';
import { paletteFor } from '../colors.js';
import type { ChildConfig, ChildReport } from './child-protocol.js';
import {
  closeInspector,
  inspectorCommandLine,
  inspectorForCommand,
  inspectorForUrl,
  nodeRunsInspector,
  openInspector,
} from './inspector.js';
import { readLines } from './line-reader.js';
import { prettyLogLine } from './pretty-log.js';
import { ServerProcess } from './server-process.js';
import { StdioRelay } from './stdio-relay.js';
import { watchTree } from './watch-tree.js';

/** What `switchboard dev` was asked to do. */
export interface DevOptions extends ChildConfig {
  /** The folder watched for changes. */
  root: string;
  /** Opens the Inspector once the server is first ready. */
  inspect: boolean;
  /** How the Inspector starts this same server over stdio (`node …/bin.js dev <entry> --stdio`). */
  stdioCommand: readonly string[];
}

/** Changes closer together than this make one reload (an editor's save is often several writes). */
const SETTLE_MS = 100;

/**
 * A dev session: serves the entry in a child process, restarts it when a file under `root` changes, prints the URL
 * and the Inspector command, reports load errors and keeps watching. Settles after SIGINT/SIGTERM, or over stdio
 * once the client has closed stdin and the server has finished.
 */
export function runDevSession(options: DevOptions): Promise<void> {
  const out = process.stderr;
  const palette = paletteFor(out);
  const say = (line: string) => out.write(`${line}\n`);
  let server: ServerProcess | undefined;
  const { entry, kind, transport, port, host, path, sharedStores } = options;
  let config: ChildConfig = { entry, kind, transport, port, host, path, sharedStores };
  let readyOnce = false;
  let failed = false;
  let inspector: ChildProcess | undefined;
  const pending = new Set<string>();
  let changed: string[] = [];
  let reloadStarted = 0;
  let settle: NodeJS.Timeout | undefined;
  let reloading = Promise.resolve();
  let finish!: () => void;
  const finished = new Promise<void>((resolve) => {
    finish = resolve;
  });

  const relay =
    options.transport === 'stdio' ? new StdioRelay(process.stdin, process.stdout, () => void shutdown()) : undefined;

  const onReport = (report: ChildReport) => {
    if (report.type === 'failed') {
      failed = true;
      const detail = report.detail === '' ? [] : [indent(report.detail)];
      // One write, so that nothing the server logs lands inside the report.
      say(
        [
          `${palette.red('✖')} ${palette.bold(report.message)}`,
          ...detail,
          palette.dim('  Waiting for a change to reload…'),
        ].join('\n'),
      );
      relay?.down(`switchboard dev: ${report.message}; the server reloads once the file is fixed`);
      return;
    }
    failed = false;
    if (report.url !== undefined) config = { ...config, port: Number(new URL(report.url).port) };
    if (readyOnce) {
      const files = changed.map((file) => relative(options.root, file)).join(', ');
      say(`${palette.green('↻')} reloaded in ${Date.now() - reloadStarted} ms ${palette.dim(`(${files})`)}`);
      relay?.announceReload();
      return;
    }
    readyOnce = true;
    printBanner(say, palette, report, options);
    if (options.inspect && report.url !== undefined) inspector = launchInspector(say, inspectorForUrl(report.url));
  };

  const start = () => {
    const next = new ServerProcess(config, onReport);
    server = next;
    const { stdin, stdout, stderr } = next.child;
    if (stdout === null || stderr === null) throw new Error('a server process was started without pipes');
    readLines(stderr, (line) => say(prettyLogLine(line, palette)));
    // Over stdio the relay reads stdout (protocol messages); over HTTP it carries only what the entry printed.
    if (relay === undefined) readLines(stdout, say);
    else if (stdin !== null) relay.attach({ stdin, stdout });
    void next.exited.then((code) => {
      if (next.stopping || server !== next) return;
      relay?.detach();
      if (options.transport === 'stdio' && code === 0 && !failed) return void shutdown();
      if (!failed) say(`${palette.red('✖')} the server exited (${code}); waiting for a change to reload…`);
      relay?.down('switchboard dev: the server exited; it restarts on the next change');
    });
  };

  const reload = async (files: string[]) => {
    changed = files;
    reloadStarted = Date.now();
    relay?.hold();
    await server?.stop();
    relay?.detach();
    start();
  };

  const watcher = watchTree(options.root, (file) => {
    pending.add(file);
    clearTimeout(settle);
    settle = setTimeout(() => {
      const files = [...pending];
      pending.clear();
      reloading = reloading.then(() => reload(files));
    }, SETTLE_MS);
  });

  let shuttingDown: Promise<void> | undefined;
  const shutdown = () => {
    shuttingDown ??= (async () => {
      watcher.close();
      clearTimeout(settle);
      if (inspector !== undefined) closeInspector(inspector);
      await reloading;
      if (relay !== undefined) relay.end();
      await server?.stop();
      finish();
    })();
    return shuttingDown;
  };
  process.once('SIGINT', () => void shutdown());
  process.once('SIGTERM', () => void shutdown());
  start();
  return finished;
}

function printBanner(say: (line: string) => void, palette: Palette, report: ChildReport, options: DevOptions): void {
  if (report.type !== 'ready') return;
  const inspectorArgs =
    report.url === undefined ? inspectorForCommand(options.stdioCommand) : inspectorForUrl(report.url);
  const lines = [
    `${palette.bold('switchboard dev')}  ${report.name} ${report.version}${report.url ? '' : ' over stdio'}`,
  ];
  if (report.url !== undefined) lines.push(`  ${palette.dim('MCP      ')}  ${palette.cyan(report.url)}`);
  if (report.url !== undefined) lines.push(`  ${palette.dim('Stores   ')}  ${report.stores}`);
  lines.push(`  ${palette.dim('Inspector')}  ${inspectorCommandLine(inspectorArgs)}`);
  lines.push(
    `  ${palette.dim('Watching ')}  ${options.root} ${palette.dim('(save a file to reload, Ctrl-C to stop)')}`,
  );
  say(lines.join('\n'));
}

/** Opens the Inspector, saying so, and warning when this Node.js is too old for it. */
export function launchInspector(say: (line: string) => void, args: readonly string[]): ChildProcess {
  if (!nodeRunsInspector()) say(`  the Inspector needs Node.js 22.7.5 or newer; this is ${process.versions.node}`);
  say(`  opening ${inspectorCommandLine(args)}`);
  return openInspector(args);
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((line) => `  ${line}`)
    .join('\n');
}
