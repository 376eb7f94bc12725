import type { Implementation } from '../../protocol/messages.js';
import type { HttpServerHandle, ServeOptions } from '../../transports/http/serve.js';
import type { StdioHandle, StdioOptions } from '../../transports/stdio/index.js';

/**
 * What the CLI needs of a server. The entry's `Switchboard` may come from another copy of switchboard-mcp than
 * the CLI's own (a global CLI, a project's local install), so the CLI checks this shape, never `instanceof`.
 */
export interface ServableServer {
  readonly info: Implementation;
  listen(options?: ServeOptions): Promise<HttpServerHandle>;
  stdio(options?: StdioOptions): Promise<StdioHandle>;
  /** The shared stores it serves with (`stores` option or `--shared-stores`); undefined for memory stores. */
  readonly stores?: { readonly description?: string };
  /** Ends the server; what it opened itself (a tools.yaml's databases) is closed once the promise settles. */
  close(): void | Promise<void>;
}

/** Whether `value` has the shape of a `Switchboard`. */
export function isServable(value: unknown): value is ServableServer {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Record<string, unknown>;
  return (
    typeof candidate.listen === 'function' &&
    typeof candidate.stdio === 'function' &&
    typeof candidate.close === 'function'
  );
}
