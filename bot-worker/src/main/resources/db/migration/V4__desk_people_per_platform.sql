-- The desk's people are per platform, as users are since V3: a request's requester and executor and a comment's
-- author are (platform, id). Every row written before is Telegram's, which each column's default says without
-- rewriting the table (a constant default adds no table rewrite). Additive: an older worker still running inserts
-- rows without these columns, and they read as Telegram's, which they are.

ALTER TABLE requests ADD COLUMN IF NOT EXISTS requester_platform text COLLATE "C" NOT NULL DEFAULT 'telegram'
  CHECK (requester_platform ~ '^[a-z][a-z0-9_-]{0,31}$');
ALTER TABLE requests ADD COLUMN IF NOT EXISTS executor_platform text COLLATE "C" NOT NULL DEFAULT 'telegram'
  CHECK (executor_platform ~ '^[a-z][a-z0-9_-]{0,31}$');
ALTER TABLE comments ADD COLUMN IF NOT EXISTS author_platform text COLLATE "C" NOT NULL DEFAULT 'telegram'
  CHECK (author_platform ~ '^[a-z][a-z0-9_-]{0,31}$');

-- /my lists a person's requests: by (platform, id) now. The old indexes stay for an older worker's queries.
CREATE INDEX IF NOT EXISTS requests_requester_platform_idx ON requests (requester_id, requester_platform, created_at DESC);
CREATE INDEX IF NOT EXISTS requests_executor_platform_idx ON requests (executor_id, executor_platform, created_at DESC)
  WHERE executor_id IS NOT NULL;
