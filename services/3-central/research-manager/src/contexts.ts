import { randomUUID } from 'node:crypto';
import type { components } from '@rds/contracts/generated/research-manager';
import type { Queryable } from '@rds/storage';
import { page } from './cursor.ts';
import type { Status } from './lifecycle.ts';
import { notFound, preconditionFailed } from './problems.ts';
import { partsOf } from './sources-and-targets.ts';
import { iso } from './timestamps.ts';

export type Context = components['schemas']['Context'];
type ResearchMetadata = NonNullable<Context['metadata']>;

/** Whose contexts: the tenant and user a call acts for. */
export interface Owner {
  tenant: string;
  user: string;
}

export interface ContextRow {
  id: string;
  seq: string;
  name: string;
  description: string;
  status: Status;
  version: number;
  created_at: Date | string;
  updated_at: Date | string;
  deleted_at: Date | string | null;
  metadata: ResearchMetadata | null;
}

export async function createContext(
  db: Queryable,
  owner: Owner,
  fields: { name: string; description?: string },
): Promise<ContextRow> {
  const { rows } = await db.query<ContextRow>(
    `INSERT INTO contexts (id, tenant, user_id, name, description) VALUES ($1, $2, $3, $4, $5)
     RETURNING *`,
    [randomUUID(), owner.tenant, owner.user, fields.name, fields.description ?? ''],
  );
  return rows[0]!;
}

/** The owner's context; 404 for any other, whoever's it is. */
export async function findContext(db: Queryable, owner: Owner, id: string): Promise<ContextRow> {
  const { rows } = await db.query<ContextRow>(
    'SELECT * FROM contexts WHERE id = $1 AND tenant = $2 AND user_id = $3',
    [id, owner.tenant, owner.user],
  );
  if (!rows[0]) throw notFound('context', id);
  return rows[0];
}

export interface ContextQuery {
  limit: number;
  /** From a cursor: list only contexts older than this. */
  after: string | null;
  status?: Status[] | undefined;
  deleted: 'exclude' | 'include' | 'only';
}

/** One page of the owner's contexts, newest first. */
export async function listContexts(db: Queryable, owner: Owner, query: ContextQuery) {
  const { rows } = await db.query<ContextRow>(
    `SELECT * FROM contexts
     WHERE tenant = $1 AND user_id = $2
       AND ($3::text[] IS NULL OR status = ANY($3::text[]))
       AND CASE $4::text WHEN 'exclude' THEN deleted_at IS NULL
                         WHEN 'only' THEN deleted_at IS NOT NULL
                         ELSE true END
       AND ($5::bigint IS NULL OR seq < $5::bigint)
     ORDER BY seq DESC
     LIMIT $6`,
    [owner.tenant, owner.user, query.status ?? null, query.deleted, query.after, query.limit + 1],
  );
  return page(rows, query.limit);
}

export interface ContextChange {
  name?: string | undefined;
  description?: string | undefined;
  status?: Status | undefined;
  deleted?: boolean | undefined;
  metadata?: ResearchMetadata | undefined;
}

/**
 * Writes `change` (nothing but a new version, when empty) if the context is still at the version
 * `current` was read at; 412 when another write came first. Every change of a context, its
 * sources or its targets goes through here, so that its ETag changes with each.
 */
export async function writeContext(
  db: Queryable,
  current: ContextRow,
  change: ContextChange = {},
): Promise<ContextRow> {
  const { rows } = await db.query<ContextRow>(
    `UPDATE contexts SET
       name = coalesce($3, name),
       description = coalesce($4, description),
       status = coalesce($5, status),
       deleted_at = CASE WHEN $6::boolean IS NULL THEN deleted_at
                         WHEN $6::boolean THEN now() END,
       metadata = coalesce($7::jsonb, metadata),
       version = version + 1,
       updated_at = now()
     WHERE id = $1 AND version = $2
     RETURNING *`,
    [
      current.id,
      current.version,
      change.name ?? null,
      change.description ?? null,
      change.status ?? null,
      change.deleted ?? null,
      change.metadata ? JSON.stringify(change.metadata) : null,
    ],
  );
  if (!rows[0]) throw preconditionFailed();
  return rows[0];
}

/** Contexts as the contract shows them, with their sources and targets. */
export async function toContexts(db: Queryable, rows: ContextRow[]): Promise<Context[]> {
  const parts = await partsOf(
    db,
    rows.map((row) => row.id),
  );
  return rows.map((row) => ({
    id: row.id,
    name: row.name,
    description: row.description,
    status: row.status,
    sources: parts.get(row.id)?.sources ?? [],
    targets: parts.get(row.id)?.targets ?? [],
    ...(row.metadata ? { metadata: row.metadata } : {}),
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
    ...(row.deleted_at ? { deletedAt: iso(row.deleted_at) } : {}),
  }));
}

/**
 * Moves a context out of `exporting` as its run ends. Not conditional on a version: the run holds
 * the context while it exports, and no other write can take it out of that state.
 */
export async function endExport(
  db: Queryable,
  contextId: string,
  status: 'exported' | 'failed' | 'ready',
): Promise<void> {
  await db.query(
    `UPDATE contexts SET status = $2, version = version + 1, updated_at = now()
     WHERE id = $1 AND status = 'exporting'`,
    [contextId, status],
  );
}
