-- Stripe Billing: the customer an account pays as, and the webhook
-- deliveries already handled (providers retry; each is applied once).
ALTER TABLE accounts ADD COLUMN billing_customer_id TEXT NOT NULL DEFAULT '';
CREATE INDEX accounts_by_billing_customer ON accounts(billing_customer_id);

CREATE TABLE webhook_deliveries (
  provider TEXT NOT NULL,
  delivery_id TEXT NOT NULL,
  received_at BIGINT NOT NULL,
  PRIMARY KEY (provider, delivery_id)
);
