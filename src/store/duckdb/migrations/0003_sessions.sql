-- Sessions, kept beside the events so reports read one row per session
-- instead of grouping every event of the period (docs/adr/0005). Derived
-- data: each row is what grouping the session's events gives, and the
-- golden tests check that reports from it equal reports from raw events.
CREATE TABLE sessions (
  site_id VARCHAR NOT NULL,
  session_id VARCHAR NOT NULL,
  visitor_id VARCHAR NOT NULL,
  start_ts TIMESTAMP NOT NULL,  -- first event
  end_ts TIMESTAMP NOT NULL,    -- last event
  pageviews INTEGER NOT NULL,
  interactions INTEGER NOT NULL,  -- goals, outbound clicks, checkout signals
  -- of the first pageview
  channel VARCHAR NOT NULL,
  source VARCHAR NOT NULL,
  referrer_domain VARCHAR NOT NULL,
  utm_source VARCHAR NOT NULL,
  utm_medium VARCHAR NOT NULL,
  utm_campaign VARCHAR NOT NULL,
  utm_term VARCHAR NOT NULL,
  utm_content VARCHAR NOT NULL,
  ref_param VARCHAR NOT NULL,
  source_param VARCHAR NOT NULL,
  via_param VARCHAR NOT NULL,
  entry_page VARCHAR NOT NULL,
  country VARCHAR NOT NULL,
  region VARCHAR NOT NULL,
  city VARCHAR NOT NULL,
  browser VARCHAR NOT NULL,
  os VARCHAR NOT NULL,
  device VARCHAR NOT NULL,
  -- of the last pageview
  exit_page VARCHAR NOT NULL
);

-- Sessions with events newer than their row: Append adds one per session of
-- each batch in the batch's transaction, and the next report rebuilds those
-- rows from the events, so a crash between the two loses nothing.
CREATE TABLE dirty_sessions (
  site_id VARCHAR NOT NULL,
  session_id VARCHAR NOT NULL,
  min_ts TIMESTAMP NOT NULL  -- the earliest of its new events
);

INSERT INTO dirty_sessions SELECT site_id, session_id, min(ts) FROM events WHERE type <> 'revenue' GROUP BY ALL;
