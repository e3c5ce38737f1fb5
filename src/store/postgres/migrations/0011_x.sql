-- X (Twitter): the accounts a site posts from and the posts it registered
-- (revenue/x_posts.h). A post's text and engagement come from the X API
-- when the operator configured a token; fetched_at 0: never fetched.
CREATE TABLE x_accounts (
  site_id TEXT NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
  handle TEXT NOT NULL,
  added_at BIGINT NOT NULL
);
-- A handle is the same whatever its case.
CREATE UNIQUE INDEX x_accounts_by_handle ON x_accounts(site_id, lower(handle));
CREATE TABLE x_posts (
  site_id TEXT NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
  post_id TEXT NOT NULL,
  handle TEXT NOT NULL,
  added_at BIGINT NOT NULL,
  text TEXT NOT NULL,
  posted_at BIGINT NOT NULL,
  likes BIGINT NOT NULL,
  reposts BIGINT NOT NULL,
  replies BIGINT NOT NULL,
  quotes BIGINT NOT NULL,
  impressions BIGINT NOT NULL,
  fetched_at BIGINT NOT NULL,
  fetch_error TEXT NOT NULL,
  PRIMARY KEY (site_id, post_id)
);
