-- Pre-aggregation for the dashboard's opening view (docs/adr/0007).
--
-- Revenue events move to a table of their own: every report reads them,
-- and there are a few hundred times fewer of them than of the rest.
-- (Same columns as events, in the same order.)
CREATE TABLE revenue_events AS SELECT * FROM events WHERE type = 'revenue';
DELETE FROM events WHERE type = 'revenue';
CREATE VIEW all_events AS SELECT * FROM events UNION ALL SELECT * FROM revenue_events;

-- Whether the session's visitor has a revenue event (a payment or a
-- refund): conversions and the revenue of page rows then read the few
-- sessions of paying visitors instead of every session's visitor id. A
-- visitor stays marked after retention, which only makes the set a little
-- larger than needed.
ALTER TABLE sessions ADD COLUMN paid BOOLEAN DEFAULT false;
ALTER TABLE session_items ADD COLUMN paid BOOLEAN DEFAULT false;
UPDATE sessions SET paid = true FROM (SELECT DISTINCT site_id, visitor_id FROM revenue_events
  WHERE visitor_id <> '') p
  WHERE sessions.site_id = p.site_id AND sessions.visitor_id = p.visitor_id;
UPDATE session_items SET paid = true FROM (SELECT DISTINCT site_id, visitor_id FROM revenue_events
  WHERE visitor_id <> '') p
  WHERE session_items.site_id = p.site_id AND session_items.visitor_id = p.visitor_id;
-- Visitors with revenue events since the last refresh: Append adds them in the batch's
-- transaction, the refresh marks their sessions.
CREATE TABLE new_payers (
  site_id VARCHAR NOT NULL,
  visitor_id VARCHAR NOT NULL
);

-- The sessions of each local day before today, per dimension value and per
-- day of the visitor's previous session with that value: a day-aligned
-- report without filters sums these rows (and reads today's sessions). A session counts for a unique visitor of a
-- period when its previous one (prev_day) is before the period, so unique
-- visitors stay exact.
CREATE TABLE rollups (
  site_id VARCHAR NOT NULL,
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
-- The zone of each site's rollup days: its own time zone when they were built.
CREATE TABLE rollup_zones (
  site_id VARCHAR NOT NULL,
  time_zone VARCHAR NOT NULL
);
-- Starts of sessions whose rows changed since their day's rollups were
-- built (one per day is kept for today and later days).
CREATE TABLE dirty_rollups (
  site_id VARCHAR NOT NULL,
  ts TIMESTAMP NOT NULL
);
