-- Imports of past payments through a provider's list API, one per site and
-- provider: where the last page ended, so an interrupted import resumes.
CREATE TABLE backfills (
  site_id TEXT NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
  provider TEXT NOT NULL,
  since INTEGER NOT NULL,
  state TEXT NOT NULL,
  cursor TEXT NOT NULL,
  pages INTEGER NOT NULL,
  payments INTEGER NOT NULL,
  error TEXT NOT NULL,
  started_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (site_id, provider)
);
