-- Payment provider connections of a site: its API key and webhook secret
-- sealed (auth/secret_box.h), and the last delivery its webhook URL received.
CREATE TABLE connections (
  site_id TEXT NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
  provider TEXT NOT NULL,
  api_key_sealed TEXT NOT NULL,
  webhook_secret_sealed TEXT NOT NULL,
  api_key_hint TEXT NOT NULL,
  shop TEXT NOT NULL,
  connected_at BIGINT NOT NULL,
  last_delivery_at BIGINT NOT NULL DEFAULT 0,
  last_delivery_event TEXT NOT NULL DEFAULT '',
  last_delivery_ok BIGINT NOT NULL DEFAULT 0,
  last_delivery_result TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (site_id, provider)
);
