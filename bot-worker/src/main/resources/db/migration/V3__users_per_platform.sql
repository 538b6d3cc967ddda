-- Users are per platform: Telegram user 5 and MAX user 5 are two people, so a user is (platform, user_id).
-- Every row written before is Telegram's, which the column's default says without rewriting the table.
-- Not additive, by necessity: the primary key moves from (user_id) to (platform, user_id). An older worker still
-- running while this applies reads users as before, but its profile writes (INSERT ... ON CONFLICT (user_id)) fail
-- until it is replaced; it logs "profile not recorded" and handles the update anyway.

ALTER TABLE users ADD COLUMN IF NOT EXISTS platform text COLLATE "C" NOT NULL DEFAULT 'telegram'
  CHECK (platform ~ '^[a-z][a-z0-9_-]{0,31}$');
ALTER TABLE users DROP CONSTRAINT IF EXISTS users_pkey;
ALTER TABLE users ADD CONSTRAINT users_pkey PRIMARY KEY (platform, user_id);
