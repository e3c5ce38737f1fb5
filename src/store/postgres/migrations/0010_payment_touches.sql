-- The sessions that led to a payment, oldest first, separated by commas:
-- the first-touch and linear attribution models credit them
-- (revenue/payment_recorder.h). Payments recorded before have none, and
-- every model credits their one session.
ALTER TABLE payments ADD COLUMN touch_sessions TEXT NOT NULL DEFAULT '';
