-- Notes pinned to a site's local dates, and the site's public share links.
-- Both go with their site.
CREATE TABLE notes (
  id TEXT PRIMARY KEY,
  site_id TEXT NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
  date TEXT NOT NULL,            -- YYYY-MM-DD in the site's time zone
  text TEXT NOT NULL,
  tags TEXT NOT NULL,            -- comma-separated
  author_user_id TEXT NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE INDEX notes_by_site_date ON notes(site_id, date);

CREATE TABLE shares (
  id TEXT PRIMARY KEY,
  site_id TEXT NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
  token TEXT NOT NULL UNIQUE,    -- the link's secret; the link is meant to be passed around
  password_hash TEXT NOT NULL,   -- Argon2id PHC string, '' for none
  created_at BIGINT NOT NULL
);
CREATE INDEX shares_by_site ON shares(site_id);
