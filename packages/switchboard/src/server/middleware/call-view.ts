import type { AuthInfo } from '../../protocol/auth.js';
import type { Params } from '../../protocol/messages.js';
import type { Era } from '../../protocol/versions.js';
import type { ServerCore } from '../core.js';
import type { RequestContext } from '../request-context.js';
import type { MiddlewareCall, Target } from './types.js';

const NO_ARGUMENTS: Params = Object.freeze({}) as Params;

/**
 * The `MiddlewareCall` of one request, made only when middleware or a list filter runs: a view over the request's
 * context, with the target looked up on first read.
 */
class CallView implements MiddlewareCall {
  readonly #core: ServerCore;
  readonly ctx: RequestContext;
  #target: Target | undefined;
  #resolved = false;

  constructor(core: ServerCore, ctx: RequestContext) {
    this.#core = core;
    this.ctx = ctx;
  }

  get method(): string {
    return this.ctx.facts.method;
  }
  get params(): Params {
    return this.ctx.facts.params;
  }
  get era(): Era {
    return this.ctx.era;
  }
  get auth(): AuthInfo {
    return this.ctx.auth;
  }
  get state(): Record<string, unknown> {
    return this.ctx.state;
  }
  /** A `tools/call`'s arguments (an empty object when the client sent none or something else). */
  get arguments(): Params {
    const args = this.params.arguments;
    return typeof args === 'object' && args !== null && !Array.isArray(args) ? (args as Params) : NO_ARGUMENTS;
  }
  header(name: string): string | undefined {
    return this.ctx.transportHeader(name);
  }
  get target(): Target | undefined {
    if (!this.#resolved) {
      this.#target = resolveTarget(this.#core, this.method, this.params);
      this.#resolved = true;
    }
    return this.#target;
  }
}

/** The request's middleware view, made once and shared by the chain and the list filters. */
export function callOf(core: ServerCore, ctx: RequestContext): MiddlewareCall {
  ctx.middlewareCall ??= new CallView(core, ctx);
  return ctx.middlewareCall;
}

/** What a request addresses, from the registries; undefined for unknown names (the method answers those). */
function resolveTarget(core: ServerCore, method: string, params: Params): Target | undefined {
  switch (method) {
    case 'tools/call':
      return typeof params.name === 'string' ? core.tools.get(params.name)?.target : undefined;
    case 'prompts/get':
      return typeof params.name === 'string' ? core.prompts.get(params.name)?.target : undefined;
    case 'resources/read':
    case 'resources/subscribe':
    case 'resources/unsubscribe':
      return typeof params.uri === 'string' ? resourceTarget(core, params.uri) : undefined;
    default:
      return undefined;
  }
}

function resourceTarget(core: ServerCore, uri: string): Target | undefined {
  const fixed = core.resources.get(uri);
  if (fixed !== undefined) return fixed.target;
  for (const template of core.templates.list()) {
    if (template.template.match(uri) !== undefined) return template.targetFor(uri);
  }
  return undefined;
}
