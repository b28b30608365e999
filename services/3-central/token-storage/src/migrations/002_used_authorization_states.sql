-- Each authorization `state` is accepted once: a replayed OAuth2 callback stores nothing.
CREATE TABLE used_authorization_states (
  tenant   text        NOT NULL,
  state_id text        NOT NULL,
  used_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant, state_id)
);
