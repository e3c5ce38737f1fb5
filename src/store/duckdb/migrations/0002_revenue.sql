-- Money received or refunded, on events of type 'revenue': millionths of the
-- site's currency, so every currency's minor unit is exact.
-- (DuckDB cannot add a NOT NULL column; every writer sets it.)
ALTER TABLE events ADD COLUMN revenue_micros BIGINT DEFAULT 0;
