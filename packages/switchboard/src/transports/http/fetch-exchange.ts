import type { HttpExchange, StreamWriter } from './exchange.js';
import { BodyTooLargeError, ClientGoneError } from './exchange.js';

const encoder = new TextEncoder();
/** The writer of an exchange that was already answered: nothing more can reach the client. */
const ENDED: StreamWriter = Object.freeze({ write() {}, end() {}, closed: true });

/** `HttpExchange` over a Web `Request`; `response` settles with the `Response` once the endpoint answers. */
export class FetchExchange implements HttpExchange {
  readonly #request: Request;
  readonly response: Promise<Response>;
  #resolve!: (response: Response) => void;
  #closed = false;
  #answered = false;
  #listeners: (() => void)[] = [];
  /** The endpoint's count of open SSE responses: one more while this exchange streams. */
  readonly #streams: { open: number } | undefined;
  #streaming = false;

  constructor(request: Request, streams?: { open: number }) {
    this.#request = request;
    this.#streams = streams;
    this.response = new Promise((resolve) => {
      this.#resolve = resolve;
    });
    request.signal?.addEventListener('abort', () => this.#close(), { once: true });
  }

  get method(): string {
    return this.#request.method;
  }

  get url(): string {
    const url = new URL(this.#request.url);
    return url.pathname + url.search;
  }

  header(name: string): string | undefined {
    const value = this.#request.headers.get(name);
    // Fetch runtimes keep the authority in the URL rather than a Host header.
    if (value === null && name === 'host') return new URL(this.#request.url).host;
    return value ?? undefined;
  }

  async readBody(limit: number): Promise<string> {
    const declared = Number(this.#request.headers.get('content-length'));
    if (declared > limit) throw new BodyTooLargeError(limit);
    if (this.#request.body === null) return '';
    // Read chunk by chunk so an upload without Content-Length (chunked) stops at the limit, not at its end.
    const reader = this.#request.body.getReader();
    const decoder = new TextDecoder();
    let text = '';
    let size = 0;
    for (;;) {
      const chunk = await reader.read().catch(() => {
        throw new ClientGoneError();
      });
      if (chunk.done) return text + decoder.decode();
      size += chunk.value.byteLength;
      if (size > limit) {
        reader.cancel().catch(() => {});
        throw new BodyTooLargeError(limit);
      }
      text += decoder.decode(chunk.value, { stream: true });
    }
  }

  send(status: number, headers: Record<string, string>, body?: string): void {
    if (this.#answered) return;
    this.#closed = true;
    this.#answered = true;
    this.#resolve(new Response(status === 204 || status === 202 ? null : (body ?? null), { status, headers }));
  }

  stream(status: number, headers: Record<string, string>): StreamWriter {
    if (this.#answered) return ENDED;
    let controller!: ReadableStreamDefaultController<Uint8Array>;
    const body = new ReadableStream<Uint8Array>({
      start: (c) => {
        controller = c;
      },
      cancel: () => this.#close(),
    });
    this.#answered = true;
    this.#resolve(new Response(body, { status, headers }));
    if (this.#streams !== undefined) {
      this.#streams.open++;
      this.#streaming = true;
    }
    const exchange = this;
    return {
      write(chunk) {
        if (!exchange.#closed) controller.enqueue(encoder.encode(chunk));
      },
      end() {
        if (exchange.#closed) return;
        exchange.#closed = true;
        exchange.#streamEnded();
        controller.close();
      },
      get closed() {
        return exchange.#closed;
      },
    };
  }

  /** Settles `response` for an exchange the endpoint left unanswered (its client went away mid-body). */
  abandon(): void {
    if (!this.#answered) this.send(400, {});
  }

  onClose(listener: () => void): void {
    this.#listeners.push(listener);
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** The stream ended (by the server, or the client went away): it no longer counts as open. */
  #streamEnded(): void {
    if (!this.#streaming) return;
    this.#streaming = false;
    (this.#streams as { open: number }).open--;
  }

  #close(): void {
    this.#streamEnded();
    if (this.#closed) return;
    this.#closed = true;
    for (const listener of this.#listeners) listener();
  }
}
