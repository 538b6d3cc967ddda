-- The bots' key-value stores (context.store(name)) and the runtime's own (sessions): one row per store and key,
-- the value as JSONB. Keys use the "C" collation, so a listing by prefix is a range on the primary key, in the
-- same (code point) order as every other backend.

CREATE TABLE IF NOT EXISTS kv (
  store      text COLLATE "C" NOT NULL,
  key        text COLLATE "C" NOT NULL,
  value      jsonb       NOT NULL,
  updated_at timestamptz NOT NULL,
  PRIMARY KEY (store, key)
);
