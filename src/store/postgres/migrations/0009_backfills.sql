-- Imports of past payments through a provider's list API, one per site and
-- provider: where the last page ended, so an interrupted import resumes.
CREATE TABLE backfills (
  site_id TEXT NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
  provider TEXT NOT NULL,
  since BIGINT NOT NULL,
  state TEXT NOT NULL,
  cursor TEXT NOT NULL,
  pages BIGINT NOT NULL,
  payments BIGINT NOT NULL,
  error TEXT NOT NULL,
  started_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (site_id, provider)
);
