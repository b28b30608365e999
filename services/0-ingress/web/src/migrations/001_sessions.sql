-- The sessions web has started and not yet ended: a sealed cookie is honoured only while its row
-- is here, so signing out (one session, or every session of a user) takes effect at once, on
-- every replica. The key is a hash of the session's random id: a dump holds no usable cookie part.
CREATE TABLE sessions (
  id_hash text PRIMARY KEY,
  tenant text NOT NULL,
  user_id text NOT NULL,
  expires_at timestamptz NOT NULL
);
CREATE INDEX sessions_by_user ON sessions (tenant, user_id);
CREATE INDEX sessions_by_expiry ON sessions (expires_at);
