-- The sessions, pages, hostnames and goals of visitors with a revenue event
-- (a payment or a refund), apart from the rest: conversions and the revenue
-- of page rows join the period's revenue events to these few rows. A flag
-- on every row (0006) still made each report read the whole period's rows
-- (docs/adr/0007). A visitor stays here after retention, which only makes
-- the set a little larger than needed.
CREATE TABLE payer_sessions AS SELECT site_id, session_id, visitor_id, start_ts, channel, source,
  referrer_domain, utm_source, utm_medium, utm_campaign, utm_term, utm_content, ref_param, source_param,
  via_param, entry_page, country, region, city, browser, os, device, exit_page
  FROM sessions WHERE paid ORDER BY start_ts;
CREATE TABLE payer_items AS SELECT site_id, session_id, visitor_id, start_ts, kind, value
  FROM session_items WHERE paid ORDER BY start_ts;
ALTER TABLE sessions DROP COLUMN paid;
ALTER TABLE session_items DROP COLUMN paid;
