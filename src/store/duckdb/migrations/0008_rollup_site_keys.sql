-- Rollup rows name their site by a small number: comparing a 21-character
-- site id on every row cost a report more than summing the rows
-- (docs/adr/0007). Rollups are derived data: every site's are rebuilt on its
-- next report.
DROP TABLE rollups;
CREATE TABLE rollups (
  site_key INTEGER NOT NULL,  -- rollup_zones.site_key
  day INTEGER NOT NULL,       -- local day (since 1970-01-01) the sessions start, in rollup_zones
  dimension VARCHAR NOT NULL, -- 'all' for every session, else the dimension's name
  value VARCHAR NOT NULL,
  detail VARCHAR NOT NULL,    -- regions and cities: the country; referrers: the first domain
  prev_day INTEGER,           -- local day of the visitor's previous session with the value
  sessions BIGINT NOT NULL,
  pageviews BIGINT NOT NULL,  -- pages and hostnames: views; goals: completions
  bounces BIGINT NOT NULL,
  duration BIGINT NOT NULL    -- microseconds, summed
);
DROP TABLE rollup_zones;
CREATE TABLE rollup_zones (
  site_id VARCHAR NOT NULL,
  time_zone VARCHAR NOT NULL,
  site_key INTEGER NOT NULL  -- the site in rollups
);
DELETE FROM dirty_rollups;
