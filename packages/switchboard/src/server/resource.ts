import { HandlerReturnError } from '../protocol/errors.js';
import type { Icon, Params, ReadResourceResult, ResourceContents } from '../protocol/messages.js';
import type { CompleteFn } from './completion.js';
import type { Context } from './context.js';
import type { ListItem, ResourceTarget } from './middleware/types.js';
import { checkScopes } from './scopes.js';
import { UriTemplate } from './uri-template.js';

/** What a resource handler may return: text, bytes, one contents object, several, or a whole result. */
export type ResourceReturn =
  | string
  | Uint8Array
  | { text: string; mimeType?: string }
  | { blob: string; mimeType?: string }
  | ResourceContents[]
  | ReadResourceResult;

export interface ResourceOptions {
  /** Programmatic name; defaults to the URI. */
  name?: string;
  title?: string;
  description?: string;
  mimeType?: string;
  size?: number;
  annotations?: Params;
  icons?: Icon[];
  _meta?: Params;
  /** OAuth scopes a caller needs to see and read this resource (a template: every resource it stands for). */
  scopes?: readonly string[];
}

export interface ResourceTemplateOptions extends Omit<ResourceOptions, 'size'> {
  name: string;
  /** Lists the concrete resources this template currently stands for (they appear in `resources/list`). */
  list?: (ctx: Context) => Promise<Params[]> | Params[];
  /** Completion for template variables, by variable name. */
  complete?: Record<string, CompleteFn>;
}

export type ResourceHandler = (uri: string, ctx: Context) => ResourceReturn | Promise<ResourceReturn>;
export type TemplateHandler = (
  uri: string,
  variables: Record<string, string>,
  ctx: Context,
) => ResourceReturn | Promise<ResourceReturn>;

function describe(options: Omit<ResourceOptions, 'name'>, base: Params): Params {
  for (const key of ['title', 'description', 'mimeType', 'size', 'annotations', 'icons', '_meta'] as const) {
    if (options[key as keyof typeof options] !== undefined) base[key] = options[key as keyof typeof options];
  }
  return base;
}

export class CompiledResource {
  readonly uri: string;
  readonly definition: Params;
  readonly mimeType: string | undefined;
  readonly handler: ResourceHandler;
  readonly target: ResourceTarget;
  readonly listItem: ListItem;
  constructor(uri: string, options: ResourceOptions, handler: ResourceHandler) {
    this.uri = uri;
    this.mimeType = options.mimeType;
    this.handler = handler;
    this.definition = describe(options, { uri, name: options.name ?? uri });
    const scopes = checkScopes(options.scopes, `resource "${uri}"`);
    this.target = Object.freeze({ kind: 'resource', uri, uriTemplate: undefined, scopes });
    this.listItem = Object.freeze({
      kind: 'resource',
      name: String(this.definition.name),
      scopes,
      definition: this.definition,
    });
  }
}

export class CompiledTemplate {
  readonly name: string;
  readonly template: UriTemplate;
  readonly definition: Params;
  readonly mimeType: string | undefined;
  readonly list: ResourceTemplateOptions['list'];
  readonly complete: Record<string, CompleteFn>;
  readonly handler: TemplateHandler;
  readonly scopes: readonly string[];
  readonly listItem: ListItem;
  constructor(uriTemplate: string, options: ResourceTemplateOptions, handler: TemplateHandler) {
    this.name = options.name;
    this.template = new UriTemplate(uriTemplate);
    this.mimeType = options.mimeType;
    this.list = options.list;
    this.complete = options.complete ?? {};
    this.handler = handler;
    this.definition = describe(options, { uriTemplate, name: options.name });
    this.scopes = checkScopes(options.scopes, `resource template "${uriTemplate}"`);
    this.listItem = Object.freeze({
      kind: 'resourceTemplate',
      name: options.name,
      scopes: this.scopes,
      definition: this.definition,
    });
  }

  /** The target of a read of one URI this template matched. */
  targetFor(uri: string): ResourceTarget {
    return { kind: 'resource', uri, uriTemplate: this.template.template, scopes: this.scopes };
  }
}

/** Normalises a handler's return value into `resources/read` contents; the registered MIME type fills any gap. */
export function shapeResourceResult(
  uri: string,
  mimeType: string | undefined,
  value: ResourceReturn,
): ReadResourceResult {
  if (typeof value === 'string') return { contents: [withMime({ uri, text: value }, mimeType)] };
  if (value instanceof Uint8Array) {
    return { contents: [withMime({ uri, blob: Buffer.from(value).toString('base64') }, mimeType)] };
  }
  if (Array.isArray(value)) return { contents: value.map((item) => checkContents(uri, item, mimeType)) };
  if (typeof value === 'object' && value !== null) {
    if ('contents' in value && Array.isArray(value.contents)) {
      return { ...value, contents: value.contents.map((item) => checkContents(uri, item, mimeType)) };
    }
    return { contents: [checkContents(uri, { uri, ...value }, mimeType)] };
  }
  const got = value === undefined ? 'nothing' : typeof value;
  throw new HandlerReturnError(`The resource handler returned ${got} for ${uri}: ${EXPECTED}`);
}

const EXPECTED = 'return a string, bytes, { text } or { blob }, an array of contents, or { contents }';

/** One contents object: it needs a URI and exactly text or blob; a MIME type it lacks is the registered one. */
function checkContents(uri: string, item: unknown, mimeType: string | undefined): ResourceContents {
  const contents = item as Params;
  const hasText = typeof contents?.text === 'string';
  const hasBlob = typeof contents?.blob === 'string';
  if (typeof contents?.uri !== 'string' || hasText === hasBlob) {
    throw new HandlerReturnError(`The resource handler returned malformed contents for ${uri}: ${EXPECTED}`);
  }
  return withMime(contents, contents.mimeType === undefined ? mimeType : undefined);
}

function withMime<T extends Params>(contents: T, mimeType: string | undefined): ResourceContents {
  return (mimeType === undefined ? contents : { ...contents, mimeType }) as unknown as ResourceContents;
}
