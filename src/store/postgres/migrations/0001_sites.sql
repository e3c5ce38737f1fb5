-- PostgreSQL's dialect of the SQLite migrations (store/sqlite/migrations),
-- one for one: times and counts are BIGINT (SQLite's INTEGER is 64-bit),
-- rates DOUBLE PRECISION.
CREATE TABLE sites (
  id TEXT PRIMARY KEY,
  domain TEXT NOT NULL,
  timezone TEXT NOT NULL,
  currency TEXT NOT NULL,
  allowed_hostnames TEXT NOT NULL DEFAULT '',  -- comma-separated
  created_at BIGINT NOT NULL                  -- microseconds since the epoch, UTC
);

-- Daily random salts for cookieless visitor hashes. Kept two days, then
-- deleted, after which a hash can no longer be linked to an address.
CREATE TABLE cookieless_salts (
  day BIGINT PRIMARY KEY,  -- days since the epoch, UTC
  salt TEXT NOT NULL
);
