import type { IncomingMessage, ServerResponse } from 'node:http';
import type { HttpExchange, StreamWriter } from './exchange.js';
import { BodyTooLargeError, BodyUnavailableError, ClientGoneError } from './exchange.js';

/** `HttpExchange` over Node's own request and response objects, with no conversion on the way. */
export class NodeExchange implements HttpExchange, StreamWriter {
  readonly #req: IncomingMessage;
  readonly #res: ServerResponse;
  /** `req.body`, set by middleware such as `express.json()` that may have consumed the stream before us. */
  readonly #parsedBody: unknown;

  constructor(req: IncomingMessage, res: ServerResponse, parsedBody?: unknown) {
    this.#req = req;
    this.#res = res;
    this.#parsedBody = parsedBody;
  }

  get method(): string {
    return this.#req.method ?? 'GET';
  }

  get url(): string {
    return this.#req.url ?? '/';
  }

  header(name: string): string | undefined {
    const value = this.#req.headers[name];
    return Array.isArray(value) ? value.join(', ') : value;
  }

  readBody(limit: number): Promise<string> {
    // The stream is the source of truth; `req.body` counts only when middleware already read the stream (Express 4
    // sets `req.body = {}` without reading when the content type is not its own).
    if (this.#req.readableEnded) return this.#readParsedBody(limit);
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
      // `on` rather than `once`: each fires at most once per request, and `once` wraps every listener anew. The error
      // listener stays for the request's life, so a late socket error settles nothing and throws nowhere.
      this.#req.on('end', () =>
        resolve(chunks.length === 1 ? chunks[0]!.toString() : Buffer.concat(chunks).toString()),
      );
      // A client that hangs up mid-body ends the read with an 'aborted' error, never with 'end'.
      this.#req.on('error', () => reject(new ClientGoneError()));
    });
  }

  /**
   * A body that middleware parsed: serialized back to text and held to the same size limit, so it goes through the
   * same JSON and JSON-RPC checks as a raw one.
   */
  #readParsedBody(limit: number): Promise<string> {
    const body = this.#parsedBody;
    if (body === undefined) return Promise.reject(new BodyUnavailableError());
    const text =
      typeof body === 'string' ? body : Buffer.isBuffer(body) ? body.toString() : (JSON.stringify(body) ?? '');
    if (Buffer.byteLength(text) > limit) return Promise.reject(new BodyTooLargeError(limit));
    return Promise.resolve(text);
  }

  send(status: number, headers: Record<string, string>, body?: string): void {
    if (this.#res.headersSent) return;
    this.#res.writeHead(status, headers);
    this.#res.end(body);
  }

  /** After a complete response the writer is already closed: its writes are dropped rather than thrown. */
  stream(status: number, headers: Record<string, string>): StreamWriter {
    if (!this.#res.headersSent) {
      this.#res.writeHead(status, headers);
      this.#res.flushHeaders();
    }
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
