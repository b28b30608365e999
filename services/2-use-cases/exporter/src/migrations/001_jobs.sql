-- One job per export run. A worker owns a job while its lease lasts and renews the lease as it
-- works; a job whose lease ran out (its worker died) is taken up by another worker.
CREATE TABLE jobs (
  id uuid PRIMARY KEY,
  tenant text NOT NULL,
  user_id text NOT NULL,
  context_id uuid NOT NULL,
  run_id uuid NOT NULL UNIQUE,
  state text NOT NULL CHECK (state IN ('queued', 'running', 'done', 'failed', 'cancelled')),
  attempts integer NOT NULL DEFAULT 0,
  lease_owner text,
  lease_until timestamptz,
  -- Not before: a job released after a transient failure waits out its backoff.
  not_before timestamptz NOT NULL DEFAULT now(),
  cancel_requested boolean NOT NULL DEFAULT false,
  last_error text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX jobs_open ON jobs (created_at) WHERE state IN ('queued', 'running');
