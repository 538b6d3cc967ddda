-- splitbot storage schema, version 1. Applied by Flyway at start-up (history table splitbot_schema_history).
-- Later changes go in new files V2__..., V3__... and must be additive so that a running older worker keeps
-- working while a newer one rolls the schema forward.
-- Text keys use the "C" collation so that every backend scans keys in the same (code point) order.

CREATE TABLE IF NOT EXISTS users (
  user_id              bigint      PRIMARY KEY,
  first_name           text,
  last_name            text,
  username             text,
  language_code        text,
  profile_source       text        NOT NULL DEFAULT 'webhook' CHECK (profile_source IN ('webhook', 'manual')),
  profile_last_updated timestamptz NOT NULL,
  created_at           timestamptz NOT NULL
);

CREATE TABLE IF NOT EXISTS requests (
  number         text COLLATE "C" PRIMARY KEY CHECK (number ~ '^[0-9]{6}-[0-9]{3,}$'),
  requester_id   bigint      NOT NULL,
  title          text        NOT NULL,
  description    text,
  address        text,
  apartment      text,
  category       text        NOT NULL CHECK (category IN ('plumbing', 'electrical', 'heating', 'cleaning', 'other')),
  priority       text        NOT NULL CHECK (priority IN ('normal', 'urgent', 'emergency')),
  phone          text,
  contact_name   text,
  is_emergency   boolean     NOT NULL DEFAULT false,
  estimated_cost numeric,
  preferred_time timestamptz,
  status         text        NOT NULL CHECK (status IN ('new', 'in_progress', 'done', 'cancelled')),
  executor_id    bigint,
  created_at     timestamptz NOT NULL,
  updated_at     timestamptz NOT NULL
);
CREATE INDEX IF NOT EXISTS requests_newest_idx ON requests (created_at DESC, number DESC);
CREATE INDEX IF NOT EXISTS requests_requester_idx ON requests (requester_id, created_at DESC);
CREATE INDEX IF NOT EXISTS requests_executor_idx ON requests (executor_id, created_at DESC) WHERE executor_id IS NOT NULL;
CREATE INDEX IF NOT EXISTS requests_status_idx ON requests (status, created_at DESC);

CREATE TABLE IF NOT EXISTS comments (
  id             text COLLATE "C" PRIMARY KEY,
  request_number text COLLATE "C" NOT NULL REFERENCES requests (number),
  author_id      bigint      NOT NULL,
  text           text        NOT NULL,
  created_at     timestamptz NOT NULL
);
CREATE INDEX IF NOT EXISTS comments_request_idx ON comments (request_number, created_at);

CREATE TABLE IF NOT EXISTS status_history (
  id             text COLLATE "C" PRIMARY KEY,
  request_number text COLLATE "C" NOT NULL REFERENCES requests (number),
  from_status    text,
  to_status      text        NOT NULL,
  changed_by     bigint      NOT NULL,
  changed_at     timestamptz NOT NULL
);
CREATE INDEX IF NOT EXISTS status_history_request_idx ON status_history (request_number, changed_at);

CREATE TABLE IF NOT EXISTS assignments (
  id             text COLLATE "C" PRIMARY KEY,
  request_number text COLLATE "C" NOT NULL REFERENCES requests (number),
  executor_id    bigint      NOT NULL,
  assigned_by    bigint      NOT NULL,
  assigned_at    timestamptz NOT NULL
);
CREATE INDEX IF NOT EXISTS assignments_request_idx ON assignments (request_number, assigned_at);

CREATE TABLE IF NOT EXISTS conversations (
  key        text COLLATE "C" PRIMARY KEY,
  step       text        NOT NULL,
  data       text        NOT NULL,   -- the exact JSON text, so it round-trips byte for byte
  updated_at timestamptz NOT NULL
);

CREATE TABLE IF NOT EXISTS counters (
  day   text COLLATE "C" PRIMARY KEY CHECK (day ~ '^[0-9]{6}$'),
  value bigint NOT NULL CHECK (value >= 0)
);

CREATE TABLE IF NOT EXISTS processed_updates (
  update_id  bigint      PRIMARY KEY,
  handled_at timestamptz NOT NULL
);
CREATE INDEX IF NOT EXISTS processed_updates_handled_idx ON processed_updates (handled_at);
