import type { Readable, Writable } from 'node:stream';
import { ErrorCode } from '../../protocol/errors.js';
import { readLines } from './line-reader.js';

type Message = Record<string, unknown>;

/** The pipes of one server process. */
export interface ServerPipes {
  readonly stdin: Writable;
  readonly stdout: Readable;
}

const REPLAY_PREFIX = 'switchboard-dev:replay:';

/**
 * Stands between a stdio client and the server process of the moment, so that a reload does not end the client's
 * session. It remembers what shaped a 2025-era session (initialize, initialized, the log level, resource
 * subscriptions) and replays it to each new process, swallowing the answers; requests the old process did not
 * answer get an error; and after a reload the client is told its lists may have changed.
 */
export class StdioRelay {
  readonly #client: Writable;
  #server: Writable | undefined;
  #state: 'holding' | 'up' | 'down' = 'holding';
  #downReason = '';
  readonly #held: string[] = [];
  /** Client requests sent to the current process and not answered yet, by JSON-encoded id. */
  readonly #pending = new Map<string, unknown>();
  #initialize: Message | undefined;
  #initialized = false;
  #logLevel: Message | undefined;
  readonly #subscriptions = new Map<string, Message>();
  #replays = 0;
  #listChanged: string[] = [];

  /** Relays `input` (the client's messages) and `output` (where its answers go); `onEnd` runs when input ends. */
  constructor(input: Readable, output: Writable, onEnd: () => void) {
    this.#client = output;
    readLines(input, (line) => this.#fromClient(line));
    input.once('end', onEnd);
  }

  /** Connects a new server process: replays the session to it, then sends what the client sent meanwhile. */
  attach(server: ServerPipes): void {
    this.#server = server.stdin;
    readLines(server.stdout, (line) => this.#fromServer(line, server.stdin));
    for (const message of this.#session()) this.#toServer(JSON.stringify(message));
    this.#state = 'up';
    for (const line of this.#held.splice(0)) this.#fromClient(line);
  }

  /** A new process is coming: what the client sends meanwhile waits for it; the current one finishes its calls. */
  hold(): void {
    this.#state = 'holding';
  }

  /** The process is gone: fails what it left unanswered and keeps what the client sends for the next one. */
  detach(): void {
    this.#server = undefined;
    this.#state = 'holding';
    this.#failPending('switchboard dev: the server reloaded before answering; send the request again');
  }

  /** No process will serve until the next change: requests held or arriving are answered with `reason`. */
  down(reason: string): void {
    this.#state = 'down';
    this.#downReason = reason;
    for (const line of this.#held.splice(0)) this.#fromClient(line);
  }

  /** After a reload: tells a 2025-era client to list tools, resources and prompts again. */
  announceReload(): void {
    if (!this.#initialized) return;
    for (const method of this.#listChanged) this.#write({ jsonrpc: '2.0', method });
  }

  /** Ends the current process's input, as the client ended ours. */
  end(): void {
    this.#server?.end();
  }

  #fromClient(line: string): void {
    if (this.#state === 'holding') {
      this.#held.push(line);
      return;
    }
    const messages = parse(line);
    for (const message of messages) this.#remember(message);
    if (this.#state === 'down') {
      for (const message of messages) if (isRequest(message)) this.#answerError(message.id, this.#downReason);
      return;
    }
    for (const message of messages) if (isRequest(message)) this.#pending.set(JSON.stringify(message.id), message.id);
    this.#toServer(line);
  }

  #fromServer(line: string, from: Writable): void {
    const messages = parse(line);
    for (const message of messages) this.#learnCapabilities(message);
    const replayAnswers = messages.filter((m) => isResponse(m) && String(m.id).startsWith(REPLAY_PREFIX));
    if (replayAnswers.length > 0 && replayAnswers.length === messages.length) return;
    if (from === this.#server) for (const m of messages) if (isResponse(m)) this.#pending.delete(JSON.stringify(m.id));
    this.#client.write(`${line}\n`);
  }

  /** Keeps what must be replayed to a new process for the client's session to carry on. */
  #remember(message: Message): void {
    const params = (message.params ?? {}) as Message;
    switch (message.method) {
      case 'initialize':
        this.#initialize = message;
        this.#initialized = false;
        this.#subscriptions.clear();
        this.#logLevel = undefined;
        break;
      case 'notifications/initialized':
        this.#initialized = true;
        break;
      case 'logging/setLevel':
        this.#logLevel = message;
        break;
      case 'resources/subscribe':
        this.#subscriptions.set(String(params.uri), message);
        break;
      case 'resources/unsubscribe':
        this.#subscriptions.delete(String(params.uri));
        break;
    }
  }

  *#session(): Generator<Message> {
    if (this.#initialize === undefined) return;
    yield this.#replay(this.#initialize);
    if (this.#initialized) yield { jsonrpc: '2.0', method: 'notifications/initialized' };
    if (this.#logLevel !== undefined) yield this.#replay(this.#logLevel);
    for (const subscribe of this.#subscriptions.values()) yield this.#replay(subscribe);
  }

  #replay(message: Message): Message {
    this.#replays += 1;
    return { ...message, id: `${REPLAY_PREFIX}${this.#replays}` };
  }

  /** Reads which lists the server announces changes of from its answer to an initialize. */
  #learnCapabilities(message: Message): void {
    const result = isResponse(message) ? (message.result as Message | undefined) : undefined;
    if (result?.protocolVersion === undefined) return;
    const capabilities = (result.capabilities ?? {}) as Record<string, { listChanged?: boolean }>;
    this.#listChanged = ['tools', 'resources', 'prompts']
      .filter((list) => capabilities[list]?.listChanged === true)
      .map((list) => `notifications/${list}/list_changed`);
  }

  #failPending(reason: string): void {
    for (const id of this.#pending.values()) this.#answerError(id, reason);
    this.#pending.clear();
  }

  #answerError(id: unknown, message: string): void {
    this.#write({ jsonrpc: '2.0', id, error: { code: ErrorCode.InternalError, message } });
  }

  #toServer(line: string): void {
    this.#server?.write(`${line}\n`);
  }

  #write(message: Message): void {
    this.#client.write(`${JSON.stringify(message)}\n`);
  }
}

/** The messages of a line (a batch is several); a line that is not JSON is passed on for the server to refuse. */
function parse(line: string): Message[] {
  try {
    const value = JSON.parse(line) as unknown;
    const messages = Array.isArray(value) ? value : [value];
    return messages.filter((m): m is Message => typeof m === 'object' && m !== null);
  } catch {
    return [];
  }
}

function isRequest(message: Message): message is Message & { id: unknown } {
  return typeof message.method === 'string' && message.id !== undefined && message.id !== null;
}

function isResponse(message: Message): message is Message & { id: unknown } {
  return message.method === undefined && message.id !== undefined;
}
