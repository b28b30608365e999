import { ProblemError } from '@rds/kit';
import type { KeyRing } from '@rds/secrets';
import type { Queryable } from '@rds/storage';
import type { components } from '@rds/contracts/generated/token-storage';
import type { TokenAnswer } from './oauth.ts';

export type Connection = components['schemas']['Connection'];
export type Token = components['schemas']['Token'];

/** Whose connection to which service. */
export interface ConnectionKey {
  tenant: string;
  user: string;
  service: string;
}

export interface ConnectionRow {
  service: string;
  kind: 'oauth2' | 'credentials';
  state: 'connected' | 'needs-reconnection';
  access_token_sealed: string | null;
  refresh_token_sealed: string | null;
  expires_at: Date | string | null;
  scope: string | null;
  username: string | null;
  password_sealed: string | null;
  connected_at: Date | string;
  updated_at: Date | string;
}

type SealedField = 'access_token' | 'refresh_token' | 'password';

/** Binds each sealed value to its row and field: a value copied elsewhere does not open. */
function aad({ tenant, user, service }: ConnectionKey, field: SealedField): string {
  return `connection/${tenant}/${user}/${service}/${field}`;
}

export function open(
  keys: KeyRing,
  key: ConnectionKey,
  field: SealedField,
  sealed: string | null,
): string | undefined {
  return sealed === null ? undefined : keys.decrypt(sealed, aad(key, field));
}

const WHERE_KEY = 'tenant = $1 AND user_id = $2 AND service = $3';
const keyParams = (k: ConnectionKey) => [k.tenant, k.user, k.service];

export const notConnected = (service: string) =>
  new ProblemError(404, {
    detail: `This user has no connection to ${service}.`,
    messageKey: 'connection.notFound',
    args: { servicename: service },
  });

export const needsReconnection = (service: string) =>
  new ProblemError(409, {
    detail: `${service} no longer accepts this user's token; the user must connect again.`,
    messageKey: 'connection.needsReconnection',
    args: { servicename: service },
  });

/** Stores an OAuth2 token, replacing the user's earlier connection to the service. */
export async function storeOAuthToken(
  db: Queryable,
  keys: KeyRing,
  key: ConnectionKey,
  token: TokenAnswer,
): Promise<Connection> {
  const expiresAt = token.expires_in ? new Date(Date.now() + token.expires_in * 1000) : null;
  const { rows } = await db.query<ConnectionRow>(
    `INSERT INTO connections (tenant, user_id, service, kind, state, access_token_sealed, refresh_token_sealed, expires_at, scope)
     VALUES ($1, $2, $3, 'oauth2', 'connected', $4, $5, $6, $7)
     ON CONFLICT (tenant, user_id, service) DO UPDATE SET kind = 'oauth2', state = 'connected',
       access_token_sealed = EXCLUDED.access_token_sealed, refresh_token_sealed = EXCLUDED.refresh_token_sealed,
       expires_at = EXCLUDED.expires_at, scope = EXCLUDED.scope, username = NULL, password_sealed = NULL,
       connected_at = now(), updated_at = now()
     RETURNING *`,
    [
      ...keyParams(key),
      keys.encrypt(token.access_token, aad(key, 'access_token')),
      token.refresh_token ? keys.encrypt(token.refresh_token, aad(key, 'refresh_token')) : null,
      expiresAt,
      token.scope ?? null,
    ],
  );
  return toConnection(rows[0]!);
}

/** Stores a user id and password (or API token), replacing the user's earlier connection. */
export async function storeCredentials(
  db: Queryable,
  keys: KeyRing,
  key: ConnectionKey,
  credentials: { userId?: string; password: string },
): Promise<Connection> {
  const { rows } = await db.query<ConnectionRow>(
    `INSERT INTO connections (tenant, user_id, service, kind, state, username, password_sealed)
     VALUES ($1, $2, $3, 'credentials', 'connected', $4, $5)
     ON CONFLICT (tenant, user_id, service) DO UPDATE SET kind = 'credentials', state = 'connected',
       username = EXCLUDED.username, password_sealed = EXCLUDED.password_sealed, access_token_sealed = NULL,
       refresh_token_sealed = NULL, expires_at = NULL, scope = NULL, connected_at = now(), updated_at = now()
     RETURNING *`,
    [
      ...keyParams(key),
      credentials.userId ?? null,
      keys.encrypt(credentials.password, aad(key, 'password')),
    ],
  );
  return toConnection(rows[0]!);
}

export async function readConnection(
  db: Queryable,
  key: ConnectionKey,
  lock = false,
): Promise<ConnectionRow | undefined> {
  const { rows } = await db.query<ConnectionRow>(
    `SELECT * FROM connections WHERE ${WHERE_KEY}${lock ? ' FOR UPDATE' : ''}`,
    keyParams(key),
  );
  return rows[0];
}

export async function listConnections(
  db: Queryable,
  tenant: string,
  user: string,
): Promise<Connection[]> {
  const { rows } = await db.query<ConnectionRow>(
    'SELECT * FROM connections WHERE tenant = $1 AND user_id = $2 ORDER BY service',
    [tenant, user],
  );
  return rows.map(toConnection);
}

/** Deletes the connection and returns what it held, so that its tokens can be revoked. */
export async function removeConnection(
  db: Queryable,
  key: ConnectionKey,
): Promise<ConnectionRow | undefined> {
  const { rows } = await db.query<ConnectionRow>(
    `DELETE FROM connections WHERE ${WHERE_KEY} RETURNING *`,
    keyParams(key),
  );
  return rows[0];
}

export async function saveRefreshed(
  db: Queryable,
  keys: KeyRing,
  key: ConnectionKey,
  token: TokenAnswer,
  previous: ConnectionRow,
): Promise<ConnectionRow> {
  const { rows } = await db.query<ConnectionRow>(
    `UPDATE connections SET access_token_sealed = $4, refresh_token_sealed = $5, expires_at = $6, scope = $7, updated_at = now()
     WHERE ${WHERE_KEY} RETURNING *`,
    [
      ...keyParams(key),
      keys.encrypt(token.access_token, aad(key, 'access_token')),
      // Providers that do not rotate refresh tokens send none back: the old one stays good.
      token.refresh_token
        ? keys.encrypt(token.refresh_token, aad(key, 'refresh_token'))
        : previous.refresh_token_sealed,
      token.expires_in ? new Date(Date.now() + token.expires_in * 1000) : null,
      token.scope ?? previous.scope,
    ],
  );
  return rows[0]!;
}

export async function markNeedsReconnection(db: Queryable, key: ConnectionKey): Promise<void> {
  await db.query(
    `UPDATE connections SET state = 'needs-reconnection', updated_at = now() WHERE ${WHERE_KEY}`,
    keyParams(key),
  );
}

/** Re-seals every connection secret not sealed with the current key. */
export async function resealConnections(db: Queryable, keys: KeyRing): Promise<number> {
  const { rows } = await db.query<ConnectionRow & { tenant: string; user_id: string }>(
    'SELECT * FROM connections',
  );
  let count = 0;
  for (const row of rows) {
    const key = { tenant: row.tenant, user: row.user_id, service: row.service };
    const fields = {
      access_token: row.access_token_sealed,
      refresh_token: row.refresh_token_sealed,
      password: row.password_sealed,
    };
    const stale = Object.entries(fields).filter(([, v]) => v !== null && keys.needsRotation(v));
    if (stale.length === 0) continue;
    const resealed = Object.fromEntries(
      Object.entries(fields).map(([f, v]) => [
        f,
        v === null
          ? null
          : keys.encrypt(keys.decrypt(v, aad(key, f as SealedField)), aad(key, f as SealedField)),
      ]),
    );
    await db.query(
      `UPDATE connections SET access_token_sealed = $4, refresh_token_sealed = $5, password_sealed = $6 WHERE ${WHERE_KEY}`,
      [...keyParams(key), resealed.access_token, resealed.refresh_token, resealed.password],
    );
    count += stale.length;
  }
  return count;
}

const iso = (value: Date | string) => new Date(value).toISOString();

export function toConnection(row: ConnectionRow): Connection {
  return {
    servicename: row.service,
    kind: row.kind,
    state: row.state,
    ...(row.username ? { userId: row.username } : {}),
    ...(row.scope ? { scope: row.scope } : {}),
    ...(row.expires_at ? { expiresAt: iso(row.expires_at) } : {}),
    connectedAt: iso(row.connected_at),
    updatedAt: iso(row.updated_at),
  };
}
