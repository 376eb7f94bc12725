-- Claims a user's access tokens carry beside the standard ones (a team, a tenant, roles), for row-level security
-- and the server's own checks.
ALTER TABLE auth_users ADD COLUMN claims jsonb NOT NULL DEFAULT '{}'::jsonb;
