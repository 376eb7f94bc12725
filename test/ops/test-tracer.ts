import { randomBytes } from 'node:crypto';
import type {
  Attributes,
  AttributeValue,
  Context,
  Exception,
  Link,
  Span,
  SpanAttributes,
  SpanContext,
  SpanKind,
  SpanOptions,
  SpanStatus,
  TimeInput,
  Tracer,
  TracerProvider,
} from '@opentelemetry/api';
import { context as contextApi, SpanStatusCode, trace } from '@opentelemetry/api';

/** What a finished span recorded, for assertions. */
export interface FinishedSpan {
  readonly name: string;
  readonly kind: SpanKind | undefined;
  readonly spanContext: SpanContext;
  /** The parent's span id, or undefined for a root span. */
  readonly parentSpanId: string | undefined;
  readonly attributes: Attributes;
  readonly status: SpanStatus;
}

/** A span that records into its provider's list when it ends (a minimal in-memory exporter, no SDK). */
class RecordingSpan implements Span {
  readonly #context: SpanContext;
  readonly #name: string;
  readonly #kind: SpanKind | undefined;
  readonly #parent: string | undefined;
  readonly #attributes: Attributes;
  readonly #sink: FinishedSpan[];
  #status: SpanStatus = { code: SpanStatusCode.UNSET };
  #ended = false;

  constructor(name: string, options: SpanOptions, parent: SpanContext | undefined, sink: FinishedSpan[]) {
    this.#name = name;
    this.#kind = options.kind;
    this.#parent = parent?.spanId;
    this.#attributes = { ...options.attributes };
    this.#sink = sink;
    this.#context = {
      traceId: parent?.traceId ?? randomBytes(16).toString('hex'),
      spanId: randomBytes(8).toString('hex'),
      traceFlags: 1,
    };
  }
  spanContext(): SpanContext {
    return this.#context;
  }
  setAttribute(key: string, value: AttributeValue): this {
    this.#attributes[key] = value;
    return this;
  }
  setAttributes(attributes: SpanAttributes): this {
    Object.assign(this.#attributes, attributes);
    return this;
  }
  addEvent(): this {
    return this;
  }
  addLink(_link: Link): this {
    return this;
  }
  addLinks(_links: Link[]): this {
    return this;
  }
  setStatus(status: SpanStatus): this {
    this.#status = status;
    return this;
  }
  updateName(): this {
    return this;
  }
  end(_endTime?: TimeInput): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#sink.push({
      name: this.#name,
      kind: this.#kind,
      spanContext: this.#context,
      parentSpanId: this.#parent,
      attributes: this.#attributes,
      status: this.#status,
    });
  }
  isRecording(): boolean {
    return !this.#ended;
  }
  recordException(_exception: Exception): void {}
}

/** A TracerProvider of the API's interface that keeps every finished span in `spans`. */
export class TestTracerProvider implements TracerProvider {
  readonly spans: FinishedSpan[] = [];

  getTracer(): Tracer {
    const sink = this.spans;
    const startSpan = (name: string, options: SpanOptions = {}, context?: Context): Span => {
      const parent = options.root === true ? undefined : trace.getSpanContext(context ?? contextApi.active());
      return new RecordingSpan(name, options, parent, sink);
    };
    return {
      startSpan,
      startActiveSpan: ((name: string, ...rest: unknown[]) => {
        const fn = rest.pop() as (span: Span) => unknown;
        const span = startSpan(name, (rest[0] as SpanOptions | undefined) ?? {}, rest[1] as Context | undefined);
        return fn(span);
      }) as Tracer['startActiveSpan'],
    };
  }
}
