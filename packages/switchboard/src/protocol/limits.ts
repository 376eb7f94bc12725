/**
 * Bounds on what a client can make the server keep for it, whatever the transport. Past a bound the client gets a
 * clear error and nothing already kept is lost. Transport limits (body size, sessions, streams) are in the
 * transports' own options.
 */
export interface ClientLimits {
  /** JSON bytes of `clientInfo` plus `capabilities` plus subscribed URIs one 2025-era session may keep (64 KiB). */
  maxSessionStateBytes?: number;
  /** `resources/subscribe` URIs one 2025-era session may hold (default 1000). */
  maxSubscriptionsPerSession?: number;
  /** Server-to-client requests (sampling, elicitation, roots) waiting for answers at once, per session (100). */
  maxPendingClientRequests?: number;
}

export type ResolvedClientLimits = Required<ClientLimits>;

export const DEFAULT_CLIENT_LIMITS: ResolvedClientLimits = Object.freeze({
  maxSessionStateBytes: 64 * 1024,
  maxSubscriptionsPerSession: 1000,
  maxPendingClientRequests: 100,
});

export function resolveClientLimits(limits: ClientLimits | undefined): ResolvedClientLimits {
  return Object.freeze({ ...DEFAULT_CLIENT_LIMITS, ...limits });
}

/** JSON bytes of a value a client sent (already depth-checked, so serialising it is safe). */
export function jsonBytes(value: unknown): number {
  return value === undefined ? 0 : Buffer.byteLength(JSON.stringify(value));
}
