-- Every site's events, payments' revenue rows included, in one MergeTree
-- table partitioned by month and ordered by site and time (docs/adr/0011).
-- Times are microseconds since the epoch in an Int64: ClickHouse 18.16 has
-- no DateTime64. Columns are those of store/event.h, in its order.
CREATE TABLE IF NOT EXISTS events (
  event_id String,
  site_id String,
  ts Int64,
  type String,
  visitor_id String,
  session_id String,
  hostname String,
  pathname String,
  referrer String,
  referrer_domain String,
  source String,
  channel String,
  utm_source String,
  utm_medium String,
  utm_campaign String,
  utm_term String,
  utm_content String,
  ref_param String,
  source_param String,
  via_param String,
  click_id String,
  goal_name String,
  goal_params String,
  outbound_url String,
  payment_provider String,
  payment_id String,
  country String,
  region String,
  city String,
  browser String,
  browser_version String,
  os String,
  os_version String,
  device String,
  screen_width Int32,
  language String,
  revenue_micros Int64,
  attribution String,
  credit_micros Int64
) ENGINE = MergeTree()
PARTITION BY toYYYYMM(toDateTime(intDiv(ts, 1000000)))
ORDER BY (site_id, ts)
