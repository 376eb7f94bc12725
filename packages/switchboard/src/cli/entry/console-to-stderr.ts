/**
 * Points the console methods that write to stdout at stderr, for a stdio server whose entry logs while it loads
 * (the stdio transport does the same once it serves). stdout carries only protocol messages.
 */
export function consoleToStderr(): void {
  const stderrConsole = new console.Console({ stdout: process.stderr, stderr: process.stderr });
  for (const name of ['log', 'info', 'debug', 'dir', 'table'] as const) {
    console[name] = stderrConsole[name].bind(stderrConsole) as never;
  }
}
