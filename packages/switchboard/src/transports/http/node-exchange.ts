import type { IncomingMessage, ServerResponse } from 'node:http';
import type { HttpExchange, StreamWriter } from './exchange.js';
import { BodyTooLargeError, ClientGoneError } from './exchange.js';

/** `HttpExchange` over Node's own request and response objects, with no conversion on the way. */
export class NodeExchange implements HttpExchange, StreamWriter {
  readonly #req: IncomingMessage;
  readonly #res: ServerResponse;
  /** Set by frameworks (Express `express.json()`) that consumed the body before us. */
  readonly #parsedBody: unknown;

  constructor(req: IncomingMessage, res: ServerResponse, parsedBody?: unknown) {
    this.#req = req;
    this.#res = res;
    this.#parsedBody = parsedBody;
  }

  get method(): string {
    return this.#req.method ?? 'GET';
  }

  header(name: string): string | undefined {
    const value = this.#req.headers[name];
    return Array.isArray(value) ? value.join(', ') : value;
  }

  readBody(limit: number): Promise<string> {
    if (this.#parsedBody !== undefined) {
      return Promise.resolve(
        typeof this.#parsedBody === 'string' ? this.#parsedBody : JSON.stringify(this.#parsedBody),
      );
    }
    const declared = Number(this.#req.headers['content-length']);
    if (declared > limit) return Promise.reject(new BodyTooLargeError(limit));
    return new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      let size = 0;
      this.#req.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > limit) {
          this.#req.removeAllListeners('data');
          this.#req.resume();
          reject(new BodyTooLargeError(limit));
          return;
        }
        chunks.push(chunk);
      });
      this.#req.once('end', () =>
        resolve(chunks.length === 1 ? chunks[0]!.toString() : Buffer.concat(chunks).toString()),
      );
      // A client that hangs up mid-body ends the read with an 'aborted' error, never with 'end'.
      this.#req.once('error', () => reject(new ClientGoneError()));
    });
  }

  send(status: number, headers: Record<string, string>, body?: string): void {
    if (this.#res.headersSent) return;
    this.#res.writeHead(status, headers);
    this.#res.end(body);
  }

  stream(status: number, headers: Record<string, string>): StreamWriter {
    this.#res.writeHead(status, headers);
    this.#res.flushHeaders();
    return this;
  }

  write(chunk: string): void {
    if (!this.#res.writableEnded && !this.#res.destroyed) this.#res.write(chunk);
  }

  end(): void {
    if (!this.#res.writableEnded) this.#res.end();
  }

  onClose(listener: () => void): void {
    this.#res.once('close', () => {
      if (!this.#res.writableFinished) listener();
    });
  }

  get closed(): boolean {
    return this.#res.writableEnded || this.#res.destroyed;
  }
}
