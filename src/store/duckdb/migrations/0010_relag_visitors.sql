-- Visitors whose sessions' previous-session columns (migration 0004) wait
-- to be computed again: each rebuild of dirty sessions adds the visitors it
-- touched, in its own transaction, and the refresh recomputes them all once
-- its rebuilds are done (docs/adr/0006). Once per refresh, not once per
-- rebuild: a first build rebuilds in rounds of 100,000 sessions, and a
-- visitor seen all year would be recomputed in most of them.
CREATE TABLE relag_visitors (
  site_id VARCHAR NOT NULL,
  visitor_id VARCHAR NOT NULL
);
