-- Everything oidc-provider stores (grants, codes, tokens, sessions, interactions, registered clients), one row each.
CREATE TABLE auth_oidc_payloads (
  model text NOT NULL,
  id text NOT NULL,
  payload jsonb NOT NULL,
  grant_id text,
  user_code text,
  uid text,
  expires_at timestamptz,
  consumed_at timestamptz,
  PRIMARY KEY (model, id)
);
CREATE INDEX auth_oidc_payloads_grant ON auth_oidc_payloads (grant_id) WHERE grant_id IS NOT NULL;
CREATE INDEX auth_oidc_payloads_uid ON auth_oidc_payloads (model, uid) WHERE uid IS NOT NULL;
CREATE INDEX auth_oidc_payloads_user_code ON auth_oidc_payloads (model, user_code) WHERE user_code IS NOT NULL;
CREATE INDEX auth_oidc_payloads_expiry ON auth_oidc_payloads (expires_at) WHERE expires_at IS NOT NULL;

-- People who can sign in to the built-in authorization server.
CREATE TABLE auth_users (
  id text PRIMARY KEY,
  username text NOT NULL UNIQUE,
  password_hash text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

-- Token signing keys (private JWKs). The newest one whose signs_from has passed signs; every unretired one is
-- published in the JWKS so tokens signed before a rotation still verify.
CREATE TABLE auth_signing_keys (
  kid text PRIMARY KEY,
  alg text NOT NULL,
  private_jwk jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  signs_from timestamptz NOT NULL DEFAULT now(),
  retired_at timestamptz
);

-- Random secrets the server makes once and every instance shares (cookie signing, CSRF tokens).
CREATE TABLE auth_secrets (
  name text PRIMARY KEY,
  value text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
