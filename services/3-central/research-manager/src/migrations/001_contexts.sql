-- A user's research contexts. Rows are never deleted: deletion sets deleted_at, so that a context
-- can be restored and its export runs stay readable.
CREATE TABLE contexts (
  id          uuid        PRIMARY KEY,
  tenant      text        NOT NULL,
  user_id     text        NOT NULL,
  -- Orders contexts for paging, newest first: unique and increasing, unlike timestamps, so a
  -- cursor never skips or repeats a row. Never shown; ids are the uuids.
  seq         bigint      GENERATED ALWAYS AS IDENTITY UNIQUE,
  name        text        NOT NULL,
  description text        NOT NULL DEFAULT '',
  status      text        NOT NULL DEFAULT 'draft'
                          CHECK (status IN ('draft', 'ready', 'exporting', 'exported', 'failed')),
  -- Optimistic concurrency: every write of the context or its sources and targets adds one; the
  -- ETag is made of it.
  version     integer     NOT NULL DEFAULT 1,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now(),
  deleted_at  timestamptz
);
CREATE INDEX contexts_of_owner ON contexts (tenant, user_id, seq DESC);

-- Where a context's data comes from: a port and what to take from it.
CREATE TABLE sources (
  id          uuid        PRIMARY KEY,
  context_id  uuid        NOT NULL REFERENCES contexts (id),
  port        text        NOT NULL,
  settings    jsonb       NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX sources_of_context ON sources (context_id);

-- Where a context is exported to, and what the target reported back about its record.
CREATE TABLE targets (
  id          uuid        PRIMARY KEY,
  context_id  uuid        NOT NULL REFERENCES contexts (id),
  port        text        NOT NULL,
  settings    jsonb       NOT NULL,
  reported    jsonb,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX targets_of_context ON targets (context_id);
