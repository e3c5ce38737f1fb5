-- Attribution models (revenue/payment_recorder.h): a payment has kRevenue
-- rows for each model, told apart by `attribution`, and `credit_micros` says
-- how much of the payment a row credits (the linear model splits it among
-- the visits that led to it). The payments recorded so far were credited to
-- their last touch; their first-touch and linear rows credit the same visit,
-- which is what those models give for a visitor with one visit.
ALTER TABLE events ADD COLUMN attribution VARCHAR DEFAULT '';
ALTER TABLE events ADD COLUMN credit_micros BIGINT DEFAULT 0;
ALTER TABLE revenue_events ADD COLUMN attribution VARCHAR DEFAULT 'last';
ALTER TABLE revenue_events ADD COLUMN credit_micros BIGINT DEFAULT 1000000;
INSERT INTO revenue_events SELECT * REPLACE (event_id || '.first' AS event_id, 'first' AS attribution)
  FROM revenue_events WHERE attribution = 'last';
INSERT INTO revenue_events SELECT * REPLACE (event_id || '.linear.0' AS event_id, 'linear' AS attribution)
  FROM revenue_events WHERE attribution = 'last';
-- The view's columns were fixed when it was made.
DROP VIEW all_events;
CREATE VIEW all_events AS SELECT * FROM events UNION ALL SELECT * FROM revenue_events;
