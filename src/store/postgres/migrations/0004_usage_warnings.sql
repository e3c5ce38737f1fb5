-- Which usage warnings (80, 90, 100 % of the plan's events) an account has
-- been sent in a billing month, so each goes out once.
CREATE TABLE usage_warnings (
  account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  month TEXT NOT NULL,                     -- YYYY-MM, UTC
  level BIGINT NOT NULL,                  -- 80, 90 or 100
  sent_at BIGINT NOT NULL,
  PRIMARY KEY (account_id, month, level)
);
