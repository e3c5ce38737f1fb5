-- Counts of requests per key and time window, shared by every instance that
-- uses this store (rate limits, failed logins; auth/rate_limiter.h).
CREATE TABLE counters (
  key TEXT NOT NULL,
  window_start INTEGER NOT NULL,  -- microseconds since the epoch
  count INTEGER NOT NULL,
  PRIMARY KEY (key, window_start)
);
