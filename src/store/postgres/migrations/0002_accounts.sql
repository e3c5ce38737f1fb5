-- People, the accounts (teams) they belong to, their sessions and the API
-- keys of sites and accounts. Secrets (session ids, API keys, email tokens)
-- are stored only as SHA-256 hashes; passwords as Argon2id encodings.
CREATE TABLE users (
  id TEXT PRIMARY KEY,                     -- usr_…
  email TEXT NOT NULL UNIQUE,              -- lowercase
  password_hash TEXT NOT NULL,             -- Argon2id, PHC string with its parameters
  email_verified BIGINT NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL
);

CREATE TABLE accounts (
  id TEXT PRIMARY KEY,                     -- acc_…
  name TEXT NOT NULL,
  plan TEXT NOT NULL,
  over_limit TEXT NOT NULL DEFAULT 'keep', -- keep | pause
  created_at BIGINT NOT NULL
);

CREATE TABLE memberships (
  account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  role TEXT NOT NULL,                      -- owner | admin | viewer
  joined_at BIGINT NOT NULL,
  PRIMARY KEY (account_id, user_id)
);
CREATE INDEX memberships_by_user ON memberships(user_id);

-- Sites created before any account exists (datafast site create) have no
-- account; the first owner adopts them.
ALTER TABLE sites ADD COLUMN account_id TEXT REFERENCES accounts(id) ON DELETE CASCADE;
ALTER TABLE sites ADD COLUMN retention_days BIGINT NOT NULL DEFAULT 730;
CREATE INDEX sites_by_account ON sites(account_id);

CREATE TABLE sessions (
  id_hash TEXT PRIMARY KEY,                -- SHA-256 of the cookie value
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  csrf_token TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL
);
CREATE INDEX sessions_by_user ON sessions(user_id);

CREATE TABLE api_keys (
  id TEXT PRIMARY KEY,                     -- key_…
  secret_hash TEXT NOT NULL UNIQUE,        -- SHA-256 of the whole key
  prefix TEXT NOT NULL,                    -- the first characters, for display
  site_id TEXT REFERENCES sites(id) ON DELETE CASCADE,        -- df_ keys
  account_id TEXT REFERENCES accounts(id) ON DELETE CASCADE,  -- dft_ tokens
  name TEXT NOT NULL,
  scopes TEXT NOT NULL,                    -- comma-separated
  created_at BIGINT NOT NULL,
  last_used_at BIGINT,
  revoked_at BIGINT,
  CHECK ((site_id IS NULL) <> (account_id IS NULL))
);
CREATE INDEX api_keys_by_site ON api_keys(site_id);
CREATE INDEX api_keys_by_account ON api_keys(account_id);

-- One-time links: password reset and email verification.
CREATE TABLE auth_tokens (
  token_hash TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  purpose TEXT NOT NULL,                   -- reset | verify
  expires_at BIGINT NOT NULL,
  used_at BIGINT
);
