-- The service registry: one row per service and tenant. Secrets are sealed (see @rds/secrets).
CREATE TABLE services (
  tenant                     text        NOT NULL,
  name                       text        NOT NULL,
  implements                 text[]      NOT NULL,
  auth_type                  text        NOT NULL CHECK (auth_type IN ('oauth2', 'credentials')),
  authorize_url              text,
  token_url                  text,
  revocation_url             text,
  client_id                  text,
  client_secret_sealed       text,
  token_endpoint_auth_method text        NOT NULL DEFAULT 'client_secret_post',
  scope                      text,
  credentials                jsonb,
  display                    jsonb       NOT NULL DEFAULT '{}',
  registered_at              timestamptz NOT NULL DEFAULT now(),
  updated_at                 timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant, name)
);

-- A user's connection to a service: an OAuth2 token or credentials, sealed.
CREATE TABLE connections (
  tenant                text        NOT NULL,
  user_id               text        NOT NULL,
  service               text        NOT NULL,
  kind                  text        NOT NULL CHECK (kind IN ('oauth2', 'credentials')),
  state                 text        NOT NULL DEFAULT 'connected' CHECK (state IN ('connected', 'needs-reconnection')),
  access_token_sealed   text,
  refresh_token_sealed  text,
  expires_at            timestamptz,
  scope                 text,
  username              text,
  password_sealed       text,
  connected_at          timestamptz NOT NULL DEFAULT now(),
  updated_at            timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant, user_id, service),
  FOREIGN KEY (tenant, service) REFERENCES services (tenant, name) ON DELETE CASCADE
);
