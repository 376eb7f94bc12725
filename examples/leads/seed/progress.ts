/** Where seeding reports how far it got. */
export type ProgressReporter = (done: number, total: number) => void;

/**
 * A progress bar on stderr (stdout may carry the MCP protocol under --stdio): redrawn in place on a terminal,
 * a line every 10 % otherwise, so logs stay readable.
 */
export function progressBar(
  label: string,
  stream: NodeJS.WriteStream = process.stderr,
): ProgressReporter & { end(): void } {
  const started = performance.now();
  let lastDecile = -1;
  const report = (done: number, total: number) => {
    const fraction = total === 0 ? 1 : done / total;
    const seconds = ((performance.now() - started) / 1_000).toFixed(1);
    const counts = `${done.toLocaleString('en-US')}/${total.toLocaleString('en-US')} leads, ${seconds} s`;
    if (stream.isTTY) {
      const width = 30;
      const filled = Math.round(fraction * width);
      stream.write(
        `\r${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${Math.floor(fraction * 100)}% ${counts}`,
      );
      return;
    }
    const decile = Math.floor(fraction * 10);
    if (decile !== lastDecile) {
      lastDecile = decile;
      stream.write(`${label} ${decile * 10}% ${counts}\n`);
    }
  };
  return Object.assign(report, {
    end() {
      if (stream.isTTY) stream.write('\n');
    },
  });
}
