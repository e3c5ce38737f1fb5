-- Invitations to join an account with a role. The emailed link carries a
-- token; only its hash is kept.
CREATE TABLE invites (
  id TEXT PRIMARY KEY,                     -- inv_…
  account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  email TEXT NOT NULL,
  role TEXT NOT NULL,
  token_hash TEXT NOT NULL UNIQUE,
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  accepted_at BIGINT
);
CREATE INDEX invites_by_account ON invites(account_id);
