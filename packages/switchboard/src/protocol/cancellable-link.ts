/**
 * The cancellation half that every transport's `Link` shares: a signal made only when a handler asks for it (most
 * never do), aborted by `cancel()`. Subclasses add how messages travel back.
 */
export abstract class CancellableLink {
  #abort: AbortController | undefined;
  #cancelled = false;

  get signal(): AbortSignal {
    if (this.#abort === undefined) {
      this.#abort = new AbortController();
      if (this.#cancelled) this.#abort.abort();
      else this.watchForCancellation();
    }
    return this.#abort.signal;
  }

  get cancelled(): boolean {
    return this.#cancelled;
  }

  cancel(): void {
    if (this.#cancelled) return;
    this.#cancelled = true;
    this.#abort?.abort();
  }

  /** Runs when the signal is first made: for links that learn of cancellation elsewhere (a closed stream). */
  protected watchForCancellation(): void {}
}
