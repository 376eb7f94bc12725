import { invalidParams } from '../../protocol/errors.js';
import { jsonBytes } from '../../protocol/limits.js';
import type { ClientCapabilities, Implementation, Params } from '../../protocol/messages.js';
import { isLoggingLevel, LOGGING_LEVELS } from '../../protocol/messages.js';
import { newSessionState } from '../../protocol/session.js';
import { isLegacyVersion, LATEST_LEGACY_VERSION, SUPPORTED_VERSIONS } from '../../protocol/versions.js';
import type { ServerCore } from '../core.js';
import type { ServerMethod } from './server-method.js';

function isObject(value: unknown): value is Params {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function lifecycleMethods(core: ServerCore): Record<string, ServerMethod> {
  return {
    initialize: {
      era: 'legacy',
      handle: ({ params, session }) => {
        if (typeof params.protocolVersion !== 'string') throw invalidParams('initialize needs params.protocolVersion');
        // 2025-11-25 basic/lifecycle §Version Negotiation: answer the requested version if supported, else our latest.
        const version = isLegacyVersion(params.protocolVersion) ? params.protocolVersion : LATEST_LEGACY_VERSION;
        const capabilities = isObject(params.capabilities) ? (params.capabilities as ClientCapabilities) : {};
        const clientInfo = isObject(params.clientInfo) ? (params.clientInfo as Implementation) : undefined;
        const bytes = jsonBytes(capabilities) + jsonBytes(clientInfo);
        const max = core.limits.maxSessionStateBytes;
        if (bytes > max) {
          // No session is opened: the answer says why, and what fits.
          throw invalidParams(
            `initialize refused, no session was opened: clientInfo and capabilities take ${bytes} bytes; this server keeps at most ${max} per session`,
            { limit: max },
          );
        }
        if (session !== undefined) session.state = newSessionState(version, capabilities, clientInfo);
        const result: Params = { protocolVersion: version, capabilities: core.capabilities, serverInfo: core.info };
        if (core.instructions !== undefined) result.instructions = core.instructions;
        return result;
      },
    },
    'server/discover': {
      era: 'modern',
      cache: core.listCache,
      handle: () => {
        const result: Params = { supportedVersions: SUPPORTED_VERSIONS, capabilities: core.discoverCapabilities };
        if (core.instructions !== undefined) result.instructions = core.instructions;
        return result;
      },
    },
    // 2026-07-28 changelog: ping and logging/setLevel were removed, so both are legacy-only.
    ping: { era: 'legacy', handle: () => ({}) },
    'logging/setLevel': {
      era: 'legacy',
      handle: ({ params, session }) => {
        if (!isLoggingLevel(params.level)) throw invalidParams(`level must be one of ${LOGGING_LEVELS.join(', ')}`);
        if (session?.state !== undefined) session.state.logLevel = params.level;
        return {};
      },
    },
  };
}
