import type { Queryable } from '@rds/storage';
import type { KeyRing } from '@rds/secrets';
import type { components } from '@rds/contracts/generated/token-storage';

export type Registration = components['schemas']['Registration'];
export type PublicService = components['schemas']['Service'];

/** What a port needs of its own registration to talk OAuth2 with its provider. */
export interface OAuthClient {
  servicename: string;
  tokenUrl: string;
  revocationUrl: string | undefined;
  clientId: string;
  clientSecret: string;
  authMethod: 'client_secret_post' | 'client_secret_basic';
}

const DISPLAY_FIELDS = [
  'displayName',
  'description',
  'icon',
  'infoUrl',
  'helpUrl',
  'fileTransferMode',
  'fileTransferArchive',
  'metadataProfile',
  'projectLinkTemplate',
] as const;

/**
 * A registration as RDS keeps it. The original accepted the body flat or wrapped as `{type, data}`;
 * both mean the same. It called the repository interface `metadata`, as the seed's snippet still
 * does, the name of RDS's metadata service too: taken, and kept as `repository`.
 */
export function readRegistration(body: unknown): Registration {
  // The contract tells the two forms apart with if/then/else, which the kit validates but the
  // generated types cannot follow: they leave the body unknown.
  const checked = body as Registration | { type?: string; data: Registration };
  const registration = 'data' in checked ? checked.data : checked;
  const interfaces = registration.implements.map((name) =>
    name === 'metadata' ? 'repository' : name,
  );
  return {
    ...registration,
    servicename: registration.servicename.toLowerCase(),
    implements: [...new Set(interfaces)],
  };
}

const secretAad = (tenant: string, name: string) => `service/${tenant}/${name}/client_secret`;

/** What a registration is stored as, beside its client secret. */
export interface RegisteredColumns {
  implements: string[];
  auth_type: 'oauth2' | 'credentials';
  authorize_url: string | null;
  token_url: string | null;
  revocation_url: string | null;
  client_id: string | null;
  token_endpoint_auth_method: 'client_secret_post' | 'client_secret_basic';
  scope: string | null;
  credentials: { userId: boolean; password: boolean } | null;
  display: Record<string, unknown>;
}

interface ServiceRow extends RegisteredColumns {
  name: string;
  client_secret_sealed: string | null;
  registered_at: Date | string;
  updated_at: Date | string;
}

/** A registration as stored: its columns, and its client secret opened. */
export interface StoredRegistration {
  columns: RegisteredColumns;
  clientSecret: string | undefined;
}

export function columnsOf(r: Registration): RegisteredColumns {
  return {
    implements: r.implements,
    auth_type: r.credentials ? 'credentials' : 'oauth2',
    authorize_url: r.authorize_url ?? null,
    token_url: r.refresh_url ?? null,
    revocation_url: r.revocation_url ?? null,
    client_id: r.client_id ?? null,
    token_endpoint_auth_method: r.token_endpoint_auth_method ?? 'client_secret_post',
    scope: r.scope ?? null,
    credentials: r.credentials ?? null,
    display: Object.fromEntries(
      DISPLAY_FIELDS.filter((f) => r[f] !== undefined).map((f) => [f, r[f]]),
    ),
  };
}

/**
 * Stores a registration. `replace` updates a registered name (new URLs and secrets take effect
 * at once); `new` stores only a name not registered yet, and says whether it did.
 */
export async function saveService(
  db: Queryable,
  keys: KeyRing,
  tenant: string,
  r: Registration,
  mode: 'replace' | 'new',
): Promise<boolean> {
  const c = columnsOf(r);
  const { rowCount } = await db.query(
    `INSERT INTO services (tenant, name, implements, auth_type, authorize_url, token_url, revocation_url,
       client_id, client_secret_sealed, token_endpoint_auth_method, scope, credentials, display)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
     ON CONFLICT (tenant, name) ${mode === 'new' ? 'DO NOTHING' : UPDATE_ALL}`,
    [
      tenant,
      r.servicename,
      c.implements,
      c.auth_type,
      c.authorize_url,
      c.token_url,
      c.revocation_url,
      c.client_id,
      r.client_secret ? keys.encrypt(r.client_secret, secretAad(tenant, r.servicename)) : null,
      c.token_endpoint_auth_method,
      c.scope,
      c.credentials && JSON.stringify(c.credentials),
      JSON.stringify(c.display),
    ],
  );
  return rowCount === 1;
}

const UPDATE_ALL = `DO UPDATE SET
  implements = EXCLUDED.implements, auth_type = EXCLUDED.auth_type,
  authorize_url = EXCLUDED.authorize_url, token_url = EXCLUDED.token_url,
  revocation_url = EXCLUDED.revocation_url, client_id = EXCLUDED.client_id,
  client_secret_sealed = EXCLUDED.client_secret_sealed,
  token_endpoint_auth_method = EXCLUDED.token_endpoint_auth_method, scope = EXCLUDED.scope,
  credentials = EXCLUDED.credentials, display = EXCLUDED.display, updated_at = now()`;

/** The registration of a name as stored, with its client secret opened; undefined when there is none. */
export async function storedRegistration(
  db: Queryable,
  keys: KeyRing,
  tenant: string,
  name: string,
): Promise<StoredRegistration | undefined> {
  const { rows } = await db.query<ServiceRow>(
    'SELECT * FROM services WHERE tenant = $1 AND name = $2',
    [tenant, name],
  );
  const row = rows[0];
  if (!row) return undefined;
  return {
    columns: {
      implements: row.implements,
      auth_type: row.auth_type,
      authorize_url: row.authorize_url,
      token_url: row.token_url,
      revocation_url: row.revocation_url,
      client_id: row.client_id,
      token_endpoint_auth_method: row.token_endpoint_auth_method,
      scope: row.scope,
      credentials: row.credentials,
      display: row.display,
    },
    clientSecret: row.client_secret_sealed
      ? keys.decrypt(row.client_secret_sealed, secretAad(tenant, name))
      : undefined,
  };
}

export async function listServices(db: Queryable, tenant: string): Promise<PublicService[]> {
  const { rows } = await db.query<ServiceRow>(
    'SELECT * FROM services WHERE tenant = $1 ORDER BY name',
    [tenant],
  );
  return rows.map(toPublic);
}

export async function findService(
  db: Queryable,
  tenant: string,
  name: string,
): Promise<PublicService | undefined> {
  const { rows } = await db.query<ServiceRow>(
    'SELECT * FROM services WHERE tenant = $1 AND name = $2',
    [tenant, name],
  );
  return rows[0] && toPublic(rows[0]);
}

/** Removes a service; its connections go with it. Returns how many, or undefined when there was no such service. */
export async function deleteService(
  db: Queryable,
  tenant: string,
  name: string,
): Promise<number | undefined> {
  const connections = await db.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM connections WHERE tenant = $1 AND service = $2',
    [tenant, name],
  );
  const deleted = await db.query('DELETE FROM services WHERE tenant = $1 AND name = $2', [
    tenant,
    name,
  ]);
  return deleted.rowCount === 0 ? undefined : (connections.rows[0]?.n ?? 0);
}

/** The OAuth2 client of a service, secret opened; undefined for credential services. */
export async function oauthClient(
  db: Queryable,
  keys: KeyRing,
  tenant: string,
  name: string,
): Promise<OAuthClient | undefined> {
  const { rows } = await db.query<ServiceRow>(
    'SELECT * FROM services WHERE tenant = $1 AND name = $2',
    [tenant, name],
  );
  const row = rows[0];
  if (
    !row ||
    row.auth_type !== 'oauth2' ||
    !row.token_url ||
    !row.client_id ||
    !row.client_secret_sealed
  )
    return undefined;
  return {
    servicename: row.name,
    tokenUrl: row.token_url,
    revocationUrl: row.revocation_url ?? undefined,
    clientId: row.client_id,
    clientSecret: keys.decrypt(row.client_secret_sealed, secretAad(tenant, row.name)),
    authMethod: row.token_endpoint_auth_method,
  };
}

/** Every sealed client secret, for re-encryption under a new key. */
export async function resealClientSecrets(db: Queryable, keys: KeyRing): Promise<number> {
  const { rows } = await db.query<{ tenant: string; name: string; client_secret_sealed: string }>(
    'SELECT tenant, name, client_secret_sealed FROM services WHERE client_secret_sealed IS NOT NULL',
  );
  let count = 0;
  for (const row of rows.filter((r) => keys.needsRotation(r.client_secret_sealed))) {
    const aad = secretAad(row.tenant, row.name);
    const sealed = keys.encrypt(keys.decrypt(row.client_secret_sealed, aad), aad);
    await db.query(
      'UPDATE services SET client_secret_sealed = $3 WHERE tenant = $1 AND name = $2',
      [row.tenant, row.name, sealed],
    );
    count++;
  }
  return count;
}

function toPublic(row: ServiceRow): PublicService {
  return {
    servicename: row.name,
    implements: row.implements as PublicService['implements'],
    authType: row.auth_type,
    ...(row.authorize_url ? { authorizeUrl: row.authorize_url } : {}),
    ...(row.client_id ? { clientId: row.client_id } : {}),
    ...(row.scope ? { scope: row.scope } : {}),
    ...(row.auth_type === 'oauth2' ? { revocable: row.revocation_url !== null } : {}),
    ...(row.credentials ? { credentials: row.credentials } : {}),
    ...row.display,
    registeredAt: new Date(row.registered_at).toISOString(),
    updatedAt: new Date(row.updated_at).toISOString(),
  };
}
