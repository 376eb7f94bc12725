import { ErrorCode, invalidParams, ProtocolError } from '../../protocol/errors.js';
import { jsonBytes } from '../../protocol/limits.js';
import type { Params } from '../../protocol/messages.js';
import type { LegacySessionState } from '../../protocol/session.js';
import { stringOf } from '../../protocol/untrusted.js';
import type { ServerCore } from '../core.js';
import { isVisible, visibleDefinitions } from '../middleware/list-filter.js';
import type { ResourceReturn } from '../resource.js';
import { shapeResourceResult } from '../resource.js';
import { toClientError } from './handler-errors.js';
import { listPage, paginate } from './pagination.js';
import type { ServerCall, ServerMethod } from './server-method.js';

/** -32002 in the 2025 era; 2026-07-28 moved resource-not-found to -32602 (server/resources §Error Handling). */
export function resourceNotFound(
  uri: string,
  era: 'modern' | 'legacy',
  message = `Resource not found: ${uri}`,
): ProtocolError {
  const code = era === 'modern' ? ErrorCode.InvalidParams : ErrorCode.ResourceNotFound;
  return new ProtocolError(code, message, { uri });
}

async function listResources(core: ServerCore, { ctx }: ServerCall): Promise<Params[]> {
  const items: Params[] = [...visibleDefinitions(core, ctx, core.resources.list(), core.resources.definitions())];
  for (const template of core.templates.list()) {
    if (template.list === undefined) continue;
    for (const definition of await template.list(ctx)) {
      const name = typeof definition.name === 'string' ? definition.name : String(definition.uri);
      if (isVisible(core, ctx, { kind: 'resource', name, scopes: template.scopes, definition })) items.push(definition);
    }
  }
  return items;
}

async function readResource(core: ServerCore, { params, ctx }: ServerCall): Promise<Params> {
  const uri = params.uri;
  if (typeof uri !== 'string') throw invalidParams('resources/read needs params.uri');
  try {
    const resource = core.resources.get(uri);
    if (resource !== undefined) {
      return shapeResourceResult(uri, resource.mimeType, await resource.handler(uri, ctx)) as Params;
    }
    for (const template of core.templates.list()) {
      const variables = template.template.match(uri);
      if (variables === undefined) continue;
      const value: ResourceReturn = await template.handler(uri, variables, ctx);
      return shapeResourceResult(uri, template.mimeType, value) as Params;
    }
  } catch (error) {
    throw toClientError(error, (message) => resourceNotFound(uri, ctx.era, message));
  }
  throw resourceNotFound(uri, ctx.era);
}

function subscriptionUri(params: Params): string {
  if (typeof params.uri !== 'string') throw invalidParams('params.uri must be a string');
  return params.uri;
}

/** Refuses a subscription past the session's bounds; the subscriptions it has stay as they are. */
function checkSubscriptionRoom(core: ServerCore, state: LegacySessionState, uri: string): void {
  const { maxSubscriptionsPerSession: most, maxSessionStateBytes: maxBytes } = core.limits;
  const held = state.subscriptions ?? [];
  if (held.length >= most) {
    throw invalidParams(
      `This session already holds ${most} subscriptions, the most allowed; unsubscribe from one first`,
      {
        limit: most,
      },
    );
  }
  const bytes = jsonBytes(state.clientCapabilities) + jsonBytes(state.clientInfo) + jsonBytes(held) + jsonBytes(uri);
  if (bytes > maxBytes) {
    throw invalidParams(
      `Subscription refused: it would bring this session's stored state to ${bytes} bytes; the most kept is ${maxBytes}`,
      { limit: maxBytes },
    );
  }
}

export function resourceMethods(core: ServerCore): Record<string, ServerMethod> {
  return {
    'resources/list': {
      era: 'both',
      cache: core.listCache,
      handle: async (call) => {
        const page = paginate(await listResources(core, call), 'resources', call.params.cursor, core.pageSize);
        // A template's list() sees the caller, so its items may be per-user: never cache them for everyone.
        if (call.ctx.era === 'modern' && core.templates.list().some((t) => t.list !== undefined)) {
          return { ...page, cacheScope: 'private' };
        }
        return listPage(core, call.ctx, page);
      },
    },
    'resources/templates/list': {
      era: 'both',
      cache: core.listCache,
      handle: ({ params, ctx }) =>
        listPage(
          core,
          ctx,
          paginate(
            visibleDefinitions(core, ctx, core.templates.list(), core.templates.definitions()),
            'resourceTemplates',
            params.cursor,
            core.pageSize,
          ),
        ),
    },
    'resources/read': {
      era: 'both',
      cache: core.readCache,
      mrtrTarget: (params) => stringOf(params.uri) ?? '',
      handle: (call) => readResource(core, call),
    },
    // 2026-07-28 replaced these with subscriptions/listen; they remain for 2025-era sessions.
    'resources/subscribe': {
      era: 'legacy',
      handle: ({ params, session }) => {
        const uri = subscriptionUri(params);
        const state = session?.state;
        if (state !== undefined && !state.subscriptions?.includes(uri)) {
          checkSubscriptionRoom(core, state, uri);
          state.subscriptions = [...(state.subscriptions ?? []), uri];
        }
        return {};
      },
    },
    'resources/unsubscribe': {
      era: 'legacy',
      handle: ({ params, session }) => {
        const uri = subscriptionUri(params);
        const state = session?.state;
        if (state?.subscriptions !== undefined) state.subscriptions = state.subscriptions.filter((u) => u !== uri);
        return {};
      },
    },
  };
}
