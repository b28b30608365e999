-- Export runs. A run copies the sources and targets it started with, so that its history reads
-- the same after the context changes or is deleted.
CREATE TABLE runs (
  id          uuid        PRIMARY KEY,
  context_id  uuid        NOT NULL REFERENCES contexts (id),
  seq         bigint      GENERATED ALWAYS AS IDENTITY UNIQUE,
  state       text        NOT NULL DEFAULT 'running' CHECK (state IN ('running', 'done', 'failed')),
  reason      text,
  sources     jsonb       NOT NULL,
  version     integer     NOT NULL DEFAULT 1,
  started_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now(),
  ended_at    timestamptz
);
CREATE INDEX runs_of_context ON runs (context_id, seq DESC);
-- One export at a time per context, whatever callers race.
CREATE UNIQUE INDEX one_running_run_per_context ON runs (context_id) WHERE state = 'running';

-- Each target of a run, and how far it got. target_id is the context's target, which may since
-- have been removed: no foreign key to it.
CREATE TABLE run_targets (
  run_id      uuid        NOT NULL REFERENCES runs (id),
  target_id   uuid        NOT NULL,
  position    integer     NOT NULL,
  port        text        NOT NULL,
  settings    jsonb       NOT NULL,
  state       text        NOT NULL DEFAULT 'pending'
                          CHECK (state IN ('pending', 'transferring', 'done', 'failed')),
  reason      text,
  reported    jsonb,
  version     integer     NOT NULL DEFAULT 1,
  updated_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (run_id, target_id)
);

-- One row per file and target: workers updating different files of one run change different
-- rows, so none overwrites another's progress.
CREATE TABLE run_files (
  id          uuid        PRIMARY KEY,
  run_id      uuid        NOT NULL,
  target_id   uuid        NOT NULL,
  source_id   uuid        NOT NULL,
  path        text        NOT NULL,
  seq         bigint      GENERATED ALWAYS AS IDENTITY UNIQUE,
  state       text        NOT NULL DEFAULT 'pending'
                          CHECK (state IN ('pending', 'transferring', 'done', 'failed')),
  reason      text,
  size        bigint,
  bytes_done  bigint      NOT NULL DEFAULT 0,
  checksum    text,
  version     integer     NOT NULL DEFAULT 1,
  updated_at  timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (run_id, target_id) REFERENCES run_targets (run_id, target_id)
);
CREATE INDEX run_files_of_run ON run_files (run_id, seq);
-- A file is registered once per target and source. Hashed: a path may be longer than an index
-- entry can be.
CREATE UNIQUE INDEX run_files_once ON run_files (run_id, target_id, source_id, md5(path));
