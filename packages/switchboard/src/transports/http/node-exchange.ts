import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import type { HttpExchange, StreamWriter } from './exchange.js';
import { BodyTooLargeError, BodyUnavailableError, ClientGoneError } from './exchange.js';

/** Headers that name one thing: a repeat that disagrees makes the request ambiguous. */
function isSingleValued(lowerName: string): boolean {
  return lowerName === 'host' || lowerName.startsWith('mcp-') || lowerName === 'last-event-id';
}

/** `HttpExchange` over Node's own request and response objects, with no conversion on the way. */
export class NodeExchange implements HttpExchange, StreamWriter {
  readonly #req: IncomingMessage;
  /**
   * `req.headers`, read once: in Node it is a getter that looks its object up behind a symbol on every access,
   * and a request reads a dozen headers.
   */
  readonly #headers: IncomingHttpHeaders;
  readonly #res: ServerResponse;
  /** `req.body`, set by middleware such as `express.json()` that may have consumed the stream before us. */
  readonly #parsedBody: unknown;
  /** MCP headers repeated with one value, by lower-case name. */
  #single: Map<string, string> | undefined;
  /** The endpoint's count of open SSE responses (metrics read it). */
  readonly #streams: { open: number } | undefined;

  constructor(req: IncomingMessage, res: ServerResponse, parsedBody?: unknown, streams?: { open: number }) {
    this.#req = req;
    this.#headers = req.headers;
    this.#res = res;
    this.#parsedBody = parsedBody;
    this.#streams = streams;
  }

  get method(): string {
    return this.#req.method ?? 'GET';
  }

  get url(): string {
    return this.#req.url ?? '/';
  }

  header(name: string): string | undefined {
    const single = this.#single?.get(name);
    if (single !== undefined) return single;
    const value = this.#headers[name];
    return Array.isArray(value) ? value.join(', ') : value;
  }

  ambiguousHeader(): string | undefined {
    const raw = this.#req.rawHeaders;
    // Node has built `req.headers` already (it reads Host before the handler runs), one key per lower-cased name:
    // as many keys as raw names means no name came twice, which is every ordinary request.
    if (Object.keys(this.#headers).length * 2 === raw.length) return undefined;
    for (let i = 0; i < raw.length; i += 2) {
      const given = raw[i] as string;
      // Only Host, Mcp-* and Last-Event-ID are single-valued here: skip others without lower-casing them.
      const first = given.charCodeAt(0) | 0x20;
      if (first !== 0x68 && first !== 0x6d && first !== 0x6c) continue;
      const name = given.toLowerCase();
      if (!isSingleValued(name)) continue;
      for (let j = i + 2; j < raw.length; j += 2) {
        const other = raw[j] as string;
        if (other.length !== name.length || other.toLowerCase() !== name) continue;
        if (name === 'host') return 'the request has more than one Host header';
        if (raw[j + 1] !== raw[i + 1]) return `the ${raw[i]} header is sent twice with different values`;
        // The same value twice is one value, not the ", "-joined pair Node makes of it.
        this.#single ??= new Map();
        this.#single.set(name, raw[i + 1] as string);
      }
    }
    return undefined;
  }

  readBody(limit: number): Promise<string> {
    // The stream is the source of truth; `req.body` counts only when middleware already read the stream (Express 4
    // sets `req.body = {}` without reading when the content type is not its own).
    if (this.#req.readableEnded) return this.#readParsedBody(limit);
    const declared = Number(this.#headers['content-length']);
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
    // Answered before its body was read (a header refused): read the rest away, so the client, still sending,
    // gets this answer rather than a reset connection.
    if (!this.#req.complete && this.#req.listenerCount('data') === 0) this.#req.resume();
    this.#res.writeHead(status, headers);
    this.#res.end(body);
  }

  /** After a complete response the writer is already closed: its writes are dropped rather than thrown. */
  stream(status: number, headers: Record<string, string>): StreamWriter {
    if (!this.#res.headersSent) {
      this.#res.writeHead(status, headers);
      this.#res.flushHeaders();
      const streams = this.#streams;
      if (streams !== undefined) {
        streams.open++;
        this.#res.once('close', () => void streams.open--);
      }
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
