-- X (Twitter): the accounts a site posts from and the posts it registered
-- (revenue/x_posts.h). A post's text and engagement come from the X API
-- when the operator configured a token; fetched_at 0: never fetched.
CREATE TABLE x_accounts (
  site_id TEXT NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
  handle TEXT NOT NULL COLLATE NOCASE,
  added_at INTEGER NOT NULL,
  PRIMARY KEY (site_id, handle)
);
CREATE TABLE x_posts (
  site_id TEXT NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
  post_id TEXT NOT NULL,
  handle TEXT NOT NULL,
  added_at INTEGER NOT NULL,
  text TEXT NOT NULL,
  posted_at INTEGER NOT NULL,
  likes INTEGER NOT NULL,
  reposts INTEGER NOT NULL,
  replies INTEGER NOT NULL,
  quotes INTEGER NOT NULL,
  impressions INTEGER NOT NULL,
  fetched_at INTEGER NOT NULL,
  fetch_error TEXT NOT NULL,
  PRIMARY KEY (site_id, post_id)
);
