-- Sealed sessions (docs/adr/0012): one row per session of each UTC day that
-- is over and whose sessions have ended, so reports read a row per session
-- instead of grouping every event. Days are computed whole from the events
-- and swapped in at once, with the rest of their partition of 32 days
-- (REPLACE PARTITION). The row with site_id '' of each day is its marker:
-- sealed_at is when the events it was computed from were read (unix
-- seconds, ClickHouse's clock).
CREATE TABLE IF NOT EXISTS sessions (
  day Int64,
  sealed_at Int64,
  site_id String,
  session_id String,
  visitor_id String,
  start_ts Int64,
  end_ts Int64,
  pageviews UInt64,
  interactions UInt64,
  channel String,
  source String,
  referrer_domain String,
  utm_source String,
  utm_medium String,
  utm_campaign String,
  utm_term String,
  utm_content String,
  ref_param String,
  source_param String,
  via_param String,
  entry_page String,
  country String,
  region String,
  city String,
  browser String,
  os String,
  device String,
  exit_page String,
  pages Array(String),
  hostnames Array(String),
  goals Array(String)
) ENGINE = MergeTree()
PARTITION BY intDiv(day, 32)
ORDER BY (site_id, start_ts);

-- Days whose sealed sessions may be out of date: events that arrived late
-- or were deleted. A day is up to date again once sealed after its last
-- mark (marked_at, unix seconds, ClickHouse's clock).
CREATE TABLE IF NOT EXISTS session_marks (
  day Int64,
  marked_at Int64
) ENGINE = MergeTree()
ORDER BY day
