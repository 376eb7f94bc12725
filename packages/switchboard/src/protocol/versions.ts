/** The stateless revision: every request carries its version in `_meta`. */
export const MODERN_VERSION = '2026-07-28';

/** Revisions that begin with an `initialize` handshake, newest first. */
export const LEGACY_VERSIONS = ['2025-11-25', '2025-06-18', '2025-03-26', '2024-11-05'] as const;

export const LATEST_LEGACY_VERSION = LEGACY_VERSIONS[0];

/** Every revision this engine serves, newest first (what `server/discover` and -32022 advertise). */
export const SUPPORTED_VERSIONS: readonly string[] = [MODERN_VERSION, ...LEGACY_VERSIONS];

export type Era = 'modern' | 'legacy';

/** Reserved `_meta` keys (2026-07-28 basic/index §General fields). */
export const META = {
  protocolVersion: 'io.modelcontextprotocol/protocolVersion',
  clientInfo: 'io.modelcontextprotocol/clientInfo',
  clientCapabilities: 'io.modelcontextprotocol/clientCapabilities',
  logLevel: 'io.modelcontextprotocol/logLevel',
  serverInfo: 'io.modelcontextprotocol/serverInfo',
  subscriptionId: 'io.modelcontextprotocol/subscriptionId',
} as const;

/** Our own `_meta` namespace (reverse DNS, not reserved by MCP). */
export const SWITCHBOARD_META_PREFIX = 'dev.switchboard/';

export function isLegacyVersion(version: string): boolean {
  return (LEGACY_VERSIONS as readonly string[]).includes(version);
}

/** Compare two dated revisions; dates in ISO form sort lexically. */
export function versionAtLeast(version: string, minimum: string): boolean {
  return version >= minimum;
}
