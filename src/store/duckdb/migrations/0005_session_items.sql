-- The pages, hostnames and goals of each session, one row per value with how
-- many times it happened, and the start of the visitor's previous session
-- with the same value: page, hostname and goal rows read these instead of
-- every pageview (docs/adr/0006). Kept by the sessions rebuild; every
-- session is rebuilt once here.
CREATE TABLE session_items (
  site_id VARCHAR NOT NULL,
  session_id VARCHAR NOT NULL,
  visitor_id VARCHAR NOT NULL,
  start_ts TIMESTAMP NOT NULL,  -- the session's
  kind VARCHAR NOT NULL,        -- page, hostname, goal
  value VARCHAR NOT NULL,
  hits INTEGER NOT NULL,        -- pageviews or completions
  prev_start TIMESTAMP
);
INSERT INTO dirty_sessions SELECT site_id, session_id, start_ts FROM sessions;
