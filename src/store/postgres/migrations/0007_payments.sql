-- Revenue attribution: payments and the other ids they may be named by,
-- identified visitors, exchange rates, and each site's attribution window.
ALTER TABLE sites ADD COLUMN attribution_window_days BIGINT NOT NULL DEFAULT 30;

CREATE TABLE payments (
  id TEXT PRIMARY KEY,
  site_id TEXT NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
  provider TEXT NOT NULL,
  transaction_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  amount_minor BIGINT NOT NULL,
  currency TEXT NOT NULL,
  site_amount_micros BIGINT NOT NULL,
  converted BIGINT NOT NULL,
  ts BIGINT NOT NULL,
  customer_id TEXT NOT NULL,
  email_hash TEXT NOT NULL,
  subscription_id TEXT NOT NULL,
  monthly_amount_minor BIGINT NOT NULL,
  refunds_payment_id TEXT NOT NULL,
  refunds_transaction_id TEXT NOT NULL,
  visitor_id TEXT NOT NULL,
  session_id TEXT NOT NULL,
  attribution TEXT NOT NULL,
  event_written BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  UNIQUE (site_id, provider, transaction_id)
);
CREATE INDEX payments_by_site_ts ON payments(site_id, ts);
CREATE INDEX payments_by_customer ON payments(site_id, customer_id) WHERE customer_id <> '';
CREATE INDEX payments_by_email ON payments(site_id, email_hash) WHERE email_hash <> '';
CREATE INDEX payments_by_subscription ON payments(site_id, subscription_id) WHERE subscription_id <> '';
CREATE INDEX payments_by_visitor ON payments(site_id, visitor_id) WHERE visitor_id <> '';
CREATE INDEX payments_unwritten ON payments(event_written) WHERE event_written = 0;

CREATE TABLE payment_aliases (
  site_id TEXT NOT NULL,
  provider TEXT NOT NULL,
  alias TEXT NOT NULL,
  payment_id TEXT NOT NULL REFERENCES payments(id) ON DELETE CASCADE,
  PRIMARY KEY (site_id, provider, alias)
);
CREATE INDEX payment_aliases_by_payment ON payment_aliases(payment_id);

CREATE TABLE identities (
  site_id TEXT NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
  user_id TEXT NOT NULL,
  email_hash TEXT NOT NULL,
  visitor_id TEXT NOT NULL,
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (site_id, user_id)
);
CREATE INDEX identities_by_email ON identities(site_id, email_hash) WHERE email_hash <> '';

CREATE TABLE exchange_rates (
  date TEXT NOT NULL,
  currency TEXT NOT NULL,
  per_usd DOUBLE PRECISION NOT NULL,
  PRIMARY KEY (currency, date)
);
