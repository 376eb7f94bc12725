/**
 * How an entry that calls `server.run()` itself (the README's quickstart) hands its server to `switchboard run` or
 * `dev` instead of serving on its own. The CLI installs a host on `globalThis` under a registered symbol, so that
 * `run()` from any copy of switchboard-mcp in the process finds it.
 */
const HOST_KEY = Symbol.for('switchboard-mcp.cli-host');

/** Takes the server an entry's `run()` call offers. */
export interface CliHost {
  adopt(server: unknown): void;
}

type HostSlot = { [HOST_KEY]?: CliHost };

/** The CLI's host while an entry file loads, or undefined when the process runs the entry with plain `node`. */
export function cliHost(): CliHost | undefined {
  return (globalThis as HostSlot)[HOST_KEY];
}

/** Installs `host` for the duration of an entry's import; returns the function that removes it. */
export function installCliHost(host: CliHost): () => void {
  (globalThis as HostSlot)[HOST_KEY] = host;
  return () => {
    delete (globalThis as HostSlot)[HOST_KEY];
  };
}
