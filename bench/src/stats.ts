/** Latencies and outcomes of one measured window. */
export class Sample {
  readonly #latencies: number[] = [];
  ok = 0;
  failed = 0;
  recording = false;

  record(ms: number, correct: boolean): void {
    if (!this.recording) return;
    if (correct) {
      this.ok++;
      this.#latencies.push(ms);
    } else {
      this.failed++;
    }
  }

  percentile(p: number): number {
    if (this.#latencies.length === 0) return Number.NaN;
    const sorted = [...this.#latencies].sort((x, y) => x - y);
    return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
  }
}

/** The timing of one measured cell: warm up, then measure. */
export interface Window {
  warmup: number;
  seconds: number;
  /** Runs when measuring starts (the runner snapshots server CPU here). */
  onMeasure: () => void;
}

/** Schedules recording to start after the warm-up; returns the time (performance.now) the load must stop. */
export function startWindow(window: Window, sample: Sample): number {
  const start = performance.now();
  setTimeout(() => {
    sample.recording = true;
    window.onMeasure();
  }, window.warmup * 1000);
  return start + (window.warmup + window.seconds) * 1000;
}
