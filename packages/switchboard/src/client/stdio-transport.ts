import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { ErrorCode } from '../protocol/errors.js';
import { classifyMessage, encodeError, encodeNotification, encodeResult } from '../protocol/jsonrpc.js';
import type { JsonRpcNotification, JsonRpcRequest, JsonRpcResponse } from '../protocol/messages.js';
import { ConnectionError, RpcError } from './errors.js';
import { PendingRequests } from './pending-requests.js';
import type { ClientTransport, IncomingHandler, SendOptions } from './transport.js';

/** A server the client starts as a child process and talks to over its stdin and stdout. */
export interface StdioTarget {
  command: string;
  args?: readonly string[];
  /** Added to this process's environment. */
  env?: Record<string, string>;
  cwd?: string;
  /** Where the server's stderr goes: this process's stderr (default), or nowhere. */
  stderr?: 'inherit' | 'ignore';
}

/** stdio: one JSON-RPC message per line each way (2025-11-25 and 2026-07-28 basic/transports §stdio). */
export class StdioTransport implements ClientTransport {
  readonly #target: StdioTarget;
  readonly #pending = new PendingRequests();
  #child: ChildProcess | undefined;
  #exited: Promise<void> | undefined;

  constructor(target: StdioTarget) {
    this.#target = target;
  }

  async start(handler: IncomingHandler): Promise<void> {
    const { command, args = [], env, cwd, stderr = 'inherit' } = this.#target;
    const child = spawn(command, [...args], {
      cwd,
      env: { ...process.env, ...env },
      stdio: ['pipe', 'pipe', stderr],
    });
    this.#child = child;
    try {
      await Promise.race([once(child, 'spawn'), once(child, 'error').then(([error]) => Promise.reject(error))]);
    } catch (error) {
      throw new ConnectionError(`could not start ${command}: ${(error as Error).message}`, { cause: error });
    }
    child.on('error', () => undefined);
    child.stdin?.on('error', () => undefined);
    this.#exited = once(child, 'exit').then(([code, signal]) => {
      const how = signal === null ? `with code ${String(code)}` : `on ${String(signal)}`;
      this.#pending.rejectAll(`the server (${command}) exited ${how} before it answered`);
    });
    const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream, crlfDelay: Infinity });
    lines.on('line', (line) => this.#receive(line, handler));
  }

  async request(message: JsonRpcRequest, options: SendOptions = {}): Promise<JsonRpcResponse> {
    const { signal } = options;
    signal?.throwIfAborted();
    const answer = this.#pending.wait(message.id);
    const onAbort = () => {
      // 2025-11-25 basic/utilities/cancellation (and 2026-07-28 stdio): cancel with notifications/cancelled.
      this.#write(encodeNotification('notifications/cancelled', { requestId: message.id, reason: 'cancelled' }));
      this.#pending.forget(message.id, signal?.reason instanceof Error ? signal.reason : new Error('cancelled'));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    this.#write(JSON.stringify(message));
    try {
      return await answer;
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
  }

  async notify(message: JsonRpcNotification): Promise<void> {
    this.#write(JSON.stringify(message));
  }

  useLegacySession(): void {}

  async close(): Promise<void> {
    const child = this.#child;
    if (child === undefined || child.exitCode !== null || child.signalCode !== null) return;
    // Closing stdin ends a stdio session; a server that does not leave then is stopped.
    child.stdin?.end();
    const timer = setTimeout(() => child.kill('SIGTERM'), 2000);
    await this.#exited;
    clearTimeout(timer);
  }

  #write(line: string): void {
    const stdin = this.#child?.stdin;
    if (stdin === undefined || stdin === null || stdin.destroyed) throw new ConnectionError('the server has exited');
    stdin.write(`${line}\n`);
  }

  #receive(line: string, handler: IncomingHandler): void {
    if (line.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      process.stderr.write(`[server stdout, not JSON-RPC] ${line}\n`);
      return;
    }
    const kind = classifyMessage(value);
    if (kind === 'response') this.#pending.settle(value as JsonRpcResponse);
    else if (kind === 'notification') handler.notification(value as JsonRpcNotification);
    else if (kind === 'request') void this.#answer(value as JsonRpcRequest, handler);
  }

  async #answer(request: JsonRpcRequest, handler: IncomingHandler): Promise<void> {
    let reply: string;
    try {
      reply = encodeResult(request.id, await handler.request(request));
    } catch (error) {
      const code = error instanceof RpcError ? error.rpcCode : ErrorCode.InternalError;
      reply = encodeError(request.id, code, error instanceof Error ? error.message : String(error));
    }
    if (this.#child?.stdin?.destroyed === false) this.#write(reply);
  }
}
