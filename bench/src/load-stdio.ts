import type { ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { Era } from './requests.js';
import { callBody, INITIALIZE_BODY, INITIALIZED_BODY, isCorrectSum } from './requests.js';
import type { Sample, Window } from './stats.js';
import { startWindow } from './stats.js';

/** A stdio server's pipes, initialized for its era, that can be driven again and again. */
export interface StdioLoad {
  /** Keeps `inFlight` calls outstanding while `more()` says so, then waits for the last answers. */
  drive(more: () => boolean, sample: Sample): Promise<void>;
  close(): Promise<void>;
}

export async function openStdioLoad(child: ChildProcess, era: Era, inFlight: number): Promise<StdioLoad> {
  const stdin = child.stdin;
  const stdout = child.stdout;
  if (stdin === null || stdout === null) throw new Error('stdio server has no pipes');
  const pending = new Map<number, { a: number; b: number; started: number }>();
  let onInitialized: (() => void) | undefined;
  let nextId = 1;
  let round: { more: () => boolean; sample: Sample; done: () => void } | undefined;
  const send = () => {
    const id = nextId++;
    const a = id % 1000;
    pending.set(id, { a, b: 7, started: performance.now() });
    stdin.write(`${callBody(id, a, 7, era)}\n`);
  };
  const lines = createInterface({ input: stdout });
  lines.on('line', (line) => {
    const message = JSON.parse(line) as { id?: number } & Record<string, unknown>;
    if (message.id === 0) return onInitialized?.();
    if (typeof message.id !== 'number' || round === undefined) return;
    const call = pending.get(message.id);
    if (call === undefined) return;
    pending.delete(message.id);
    round.sample.record(performance.now() - call.started, isCorrectSum(message, call.a, call.b));
    if (round.more()) send();
    else if (pending.size === 0) round.done();
  });
  if (era === 'legacy') {
    await new Promise<void>((resolve) => {
      onInitialized = resolve;
      stdin.write(`${INITIALIZE_BODY}\n`);
    });
    stdin.write(`${INITIALIZED_BODY}\n`);
  }
  const drive = (more: () => boolean, sample: Sample) =>
    new Promise<void>((resolve) => {
      round = { more, sample, done: resolve };
      let started = 0;
      while (started < inFlight && more()) {
        send();
        started++;
      }
      if (started === 0) resolve();
    });
  return { drive, close: async () => lines.close() };
}

/** Drives a stdio server with `inFlight` requests outstanding at all times. */
export async function loadStdio(
  child: ChildProcess,
  era: Era,
  inFlight: number,
  window: Window,
  sample: Sample,
): Promise<void> {
  const load = await openStdioLoad(child, era, inFlight);
  const stopAt = startWindow(window, sample);
  await load.drive(() => performance.now() < stopAt, sample);
  await load.close();
}
