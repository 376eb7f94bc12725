import { createInterface } from 'node:readline';

/**
 * Asks questions on stderr and reads the answers from stdin, one line each: typed at a terminal, or piped in by a
 * script. `ask` resolves undefined once stdin has ended.
 */
export class TerminalPrompter {
  readonly #lines: string[] = [];
  readonly #waiters: ((line: string | undefined) => void)[] = [];
  #ended = false;
  #reader: ReturnType<typeof createInterface> | undefined;

  get interactive(): boolean {
    return process.stdin.isTTY === true;
  }

  ask(question: string): Promise<string | undefined> {
    this.#start();
    process.stderr.write(question);
    const line = this.#lines.shift();
    if (line !== undefined) return Promise.resolve(line);
    if (this.#ended) return Promise.resolve(undefined);
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  /** Lets the process end: stdin is no longer read. */
  close(): void {
    this.#reader?.close();
    this.#reader = undefined;
  }

  #start(): void {
    if (this.#reader !== undefined || this.#ended) return;
    this.#reader = createInterface({ input: process.stdin, crlfDelay: Infinity, terminal: false });
    this.#reader.on('line', (line) => {
      const waiter = this.#waiters.shift();
      if (waiter === undefined) this.#lines.push(line);
      else waiter(line);
    });
    this.#reader.on('close', () => {
      this.#ended = true;
      for (const waiter of this.#waiters.splice(0)) waiter(undefined);
    });
  }
}
