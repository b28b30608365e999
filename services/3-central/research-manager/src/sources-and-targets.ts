import { randomUUID } from 'node:crypto';
import type { components } from '@rds/contracts/generated/research-manager';
import type { Queryable } from '@rds/storage';
import { notFound } from './problems.ts';
import { iso } from './timestamps.ts';

type Schemas = components['schemas'];
export type Source = Schemas['Source'];
export type Target = Schemas['Target'];

/** Sources and targets are kept alike: a port and its settings; targets add what they reported. */
export type Kind = 'source' | 'target';
const TABLES = { source: 'sources', target: 'targets' } as const;

interface PartRow {
  id: string;
  context_id: string;
  port: string;
  settings: Record<string, unknown>;
  reported?: Schemas['TargetReport'] | null;
  created_at: Date | string;
  updated_at: Date | string;
}

export interface PartFields {
  port?: string | undefined;
  settings?: Schemas['SourceSettings'] | Schemas['TargetSettings'] | undefined;
}

/** The sources and targets of each context, in the order they were added. */
export async function partsOf(
  db: Queryable,
  contextIds: string[],
): Promise<Map<string, { sources: Source[]; targets: Target[] }>> {
  const parts = new Map<string, { sources: Source[]; targets: Target[] }>(
    contextIds.map((id) => [id, { sources: [], targets: [] }]),
  );
  if (contextIds.length === 0) return parts;
  const rowsOf = (kind: Kind) =>
    db.query<PartRow>(
      `SELECT * FROM ${TABLES[kind]} WHERE context_id = ANY($1::uuid[]) ORDER BY created_at, id`,
      [contextIds],
    );
  const [sources, targets] = await Promise.all([rowsOf('source'), rowsOf('target')]);
  for (const row of sources.rows) parts.get(row.context_id)?.sources.push(toSource(row));
  for (const row of targets.rows) parts.get(row.context_id)?.targets.push(toTarget(row));
  return parts;
}

export async function addPart(
  db: Queryable,
  kind: Kind,
  contextId: string,
  fields: Required<PartFields>,
): Promise<Source | Target> {
  const { rows } = await db.query<PartRow>(
    `INSERT INTO ${TABLES[kind]} (id, context_id, port, settings) VALUES ($1, $2, $3, $4) RETURNING *`,
    [randomUUID(), contextId, fields.port, JSON.stringify(fields.settings)],
  );
  return toPart(kind, rows[0]!);
}

/** Changes the port or replaces the settings of a context's source or target. */
export async function updatePart(
  db: Queryable,
  kind: Kind,
  contextId: string,
  id: string,
  fields: PartFields,
): Promise<Source | Target> {
  const { rows } = await db.query<PartRow>(
    `UPDATE ${TABLES[kind]} SET port = coalesce($3, port), settings = coalesce($4::jsonb, settings),
       updated_at = now()
     WHERE id = $1 AND context_id = $2 RETURNING *`,
    [id, contextId, fields.port ?? null, fields.settings ? JSON.stringify(fields.settings) : null],
  );
  if (!rows[0]) throw notFound(kind, id);
  return toPart(kind, rows[0]);
}

export async function removePart(
  db: Queryable,
  kind: Kind,
  contextId: string,
  id: string,
): Promise<void> {
  const { rowCount } = await db.query(
    `DELETE FROM ${TABLES[kind]} WHERE id = $1 AND context_id = $2`,
    [id, contextId],
  );
  if (rowCount === 0) throw notFound(kind, id);
}

/**
 * Copies what each target of a run reported back to the context's target, if it still exists. A
 * target set to publish a new record (`newRecord`) that got one has spent the setting: the next
 * export makes a new version of that record, as the web front end says ("with the next export").
 */
export async function keepReports(db: Queryable, contextId: string, runId: string): Promise<void> {
  await db.query(
    `UPDATE targets t SET reported = rt.reported, updated_at = now(),
       settings = CASE WHEN rt.reported->>'recordId' IS DISTINCT FROM t.reported->>'recordId'
                       AND rt.reported->>'recordId' IS NOT NULL
                  THEN t.settings - 'newRecord' ELSE t.settings END
     FROM run_targets rt
     WHERE rt.run_id = $2 AND rt.reported IS NOT NULL AND t.id = rt.target_id AND t.context_id = $1`,
    [contextId, runId],
  );
}

const toPart = (kind: Kind, row: PartRow) => (kind === 'source' ? toSource(row) : toTarget(row));

function toSource(row: PartRow): Source {
  return {
    id: row.id,
    port: row.port,
    settings: row.settings as Source['settings'],
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
  };
}

function toTarget(row: PartRow): Target {
  return {
    ...toSource(row),
    settings: row.settings as Target['settings'],
    ...(row.reported ? { reported: row.reported } : {}),
  };
}
