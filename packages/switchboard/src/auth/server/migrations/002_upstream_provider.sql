-- Proxy mode: people who signed in at an upstream provider (GitHub, Google, ...), known here by a local id.
CREATE TABLE auth_upstream_accounts (
  id text PRIMARY KEY,
  issuer text NOT NULL,
  subject text NOT NULL,
  username text,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (issuer, subject)
);

-- Their upstream tokens, AES-256-GCM encrypted with a key the database never sees; never sent to MCP clients.
CREATE TABLE auth_upstream_tokens (
  account_id text PRIMARY KEY REFERENCES auth_upstream_accounts (id) ON DELETE CASCADE,
  sealed text NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- One row per sign-in sent upstream: its state, PKCE verifier and nonce, deleted when the callback uses it.
CREATE TABLE auth_upstream_states (
  state text PRIMARY KEY,
  interaction_uid text NOT NULL,
  code_verifier text NOT NULL,
  nonce text NOT NULL,
  expires_at timestamptz NOT NULL
);
