-- The start of the visitor's previous session, overall and with the same
-- value of each dimension: a session whose previous one started before a
-- period is its visitor's first in that period, so unique visitors are a
-- count of rows instead of a distinct count (docs/adr/0006). Kept by the
-- same rebuild as the rest of the row; every session is rebuilt once here.
ALTER TABLE sessions ADD COLUMN prev_start TIMESTAMP;
ALTER TABLE sessions ADD COLUMN prev_channel TIMESTAMP;
ALTER TABLE sessions ADD COLUMN prev_referrer TIMESTAMP;
ALTER TABLE sessions ADD COLUMN prev_referrer_domain TIMESTAMP;
ALTER TABLE sessions ADD COLUMN prev_utm_source TIMESTAMP;
ALTER TABLE sessions ADD COLUMN prev_utm_medium TIMESTAMP;
ALTER TABLE sessions ADD COLUMN prev_utm_campaign TIMESTAMP;
ALTER TABLE sessions ADD COLUMN prev_utm_term TIMESTAMP;
ALTER TABLE sessions ADD COLUMN prev_utm_content TIMESTAMP;
ALTER TABLE sessions ADD COLUMN prev_ref TIMESTAMP;
ALTER TABLE sessions ADD COLUMN prev_source TIMESTAMP;
ALTER TABLE sessions ADD COLUMN prev_via TIMESTAMP;
ALTER TABLE sessions ADD COLUMN prev_entry_page TIMESTAMP;
ALTER TABLE sessions ADD COLUMN prev_exit_page TIMESTAMP;
ALTER TABLE sessions ADD COLUMN prev_country TIMESTAMP;
ALTER TABLE sessions ADD COLUMN prev_region TIMESTAMP;
ALTER TABLE sessions ADD COLUMN prev_city TIMESTAMP;
ALTER TABLE sessions ADD COLUMN prev_browser TIMESTAMP;
ALTER TABLE sessions ADD COLUMN prev_os TIMESTAMP;
ALTER TABLE sessions ADD COLUMN prev_device TIMESTAMP;
INSERT INTO dirty_sessions SELECT site_id, session_id, start_ts FROM sessions;
