import type { ProgressUpdate } from '../../client/index.js';

const WIDTH = 24;

/**
 * Shows progress on stderr: a bar redrawn in place on a terminal, one plain line per update anywhere else (so a
 * log keeps it). `done()` clears the bar.
 */
export class ProgressDisplay {
  readonly #tty: boolean;
  #drawn = false;

  constructor(stream: NodeJS.WriteStream = process.stderr) {
    this.#tty = stream.isTTY === true;
  }

  update({ progress, total, message }: ProgressUpdate): void {
    const amount = total === undefined ? String(progress) : `${progress}/${total}`;
    if (!this.#tty) {
      process.stderr.write(`progress ${amount}${message === undefined ? '' : ` ${message}`}\n`);
      return;
    }
    process.stderr.write(`\r\x1b[2K${bar(progress, total)} ${amount}${message === undefined ? '' : ` ${message}`}`);
    this.#drawn = true;
  }

  /** A one-line status redrawn in place (TTY only), for `bench`. */
  status(text: string): void {
    if (!this.#tty) return;
    process.stderr.write(`\r\x1b[2K${text}`);
    this.#drawn = true;
  }

  done(): void {
    if (this.#drawn) process.stderr.write('\r\x1b[2K');
    this.#drawn = false;
  }
}

/** `[#######-----------------]`, or a spinner-like marker when the total is unknown. */
export function bar(progress: number, total: number | undefined): string {
  if (total === undefined || total <= 0) return `[${'.'.repeat(WIDTH)}]`;
  const filled = Math.max(0, Math.min(WIDTH, Math.round((progress / total) * WIDTH)));
  return `[${'#'.repeat(filled)}${'-'.repeat(WIDTH - filled)}]`;
}
