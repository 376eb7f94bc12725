export type { BearerChallengeParams, BearerError } from './challenge.js';
export { bearerChallenge } from './challenge.js';
export type { ClaimMapping, Claims } from './claims.js';
export type { EnvironmentAuthOptions } from './environment.js';
export { authFromEnvironment } from './environment.js';
export type { IntrospectionVerifierOptions } from './introspection-verifier.js';
export { introspectionVerifier } from './introspection-verifier.js';
export type { JwtVerifierOptions } from './jwt-verifier.js';
export { DEFAULT_JWT_ALGORITHMS, jwtVerifier } from './jwt-verifier.js';
export type { ProtectedResourceMetadata } from './metadata.js';
export { metadataFetchHandler, metadataNodeHandler } from './metadata-handlers.js';
export type {
  Auth0Options,
  BuiltInAuthServer,
  EntraOptions,
  GoogleOptions,
  KeycloakOptions,
  OktaOptions,
  PresetOptions,
  ProviderProfile,
  WorkOsOptions,
} from './presets/index.js';
export {
  auth0,
  authServerRoutes,
  builtInAuthServer,
  entra,
  google,
  identityProvider,
  keycloak,
  okta,
  workos,
} from './presets/index.js';
export type { AuthOptions } from './resource-server.js';
export { ResourceServer } from './resource-server.js';
export { enforceScopes } from './scope-guard.js';
export { hasScopes, missingScopes, parseScopes, scopeCovers } from './scopes.js';
export type { TokenVerifier, VerifyContext, VerifyFunction } from './verifier.js';
export { AuthUnavailableError, customVerifier, InvalidTokenError } from './verifier.js';
