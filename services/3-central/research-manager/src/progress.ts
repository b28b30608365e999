/**
 * What exporter workers write while a run runs: the state of its targets and of its files. Each
 * write changes one row of its own, under a shared lock of the run, so that writers go side by
 * side without losing each other's changes, and none lands after the run has ended.
 */
import { randomUUID } from 'node:crypto';
import type { components } from '@rds/contracts/generated/research-manager';
import type { Database, Queryable } from '@rds/storage';
import { page } from './cursor.ts';
import { notFound, runEnded, unknownReferences } from './problems.ts';
import {
  findRun,
  toRunFile,
  toRunTarget,
  type RunFile,
  type RunAddress,
  type RunFileRow,
  type RunRow,
  type RunTarget,
  type RunTargetRow,
} from './runs.ts';

type Schemas = components['schemas'];
type NewFile = { targetId: string; sourceId: string; path: string; size?: number | undefined };

/** Runs `write` in a transaction holding a shared lock of the run, if it is still running. */
async function whileRunning<T>(
  db: Database,
  address: RunAddress,
  write: (tx: Queryable, run: RunRow) => Promise<T>,
): Promise<T> {
  return db.transaction(async (tx) => {
    const run = await findRun(tx, address, 'share');
    if (run.state !== 'running') throw runEnded();
    return write(tx, run);
  });
}

/** SQL that keeps a reason with its failure: kept while the state stays, dropped when it changes. */
const reasonFollowing = (state: string, reason: string) =>
  `reason = CASE WHEN ${state}::text IS NULL THEN reason WHEN ${state}::text = 'failed' THEN ${reason}::text END`;

export function updateRunTarget(
  db: Database,
  address: RunAddress,
  targetId: string,
  changes: Schemas['RunTargetChanges'],
): Promise<RunTarget> {
  return whileRunning(db, address, async (tx, run) => {
    const { rows } = await tx.query<RunTargetRow>(
      `UPDATE run_targets SET state = coalesce($3, state), ${reasonFollowing('$3', '$4')},
         reported = coalesce($5::jsonb, reported), note = coalesce($6, note),
         version = version + 1, updated_at = now()
       WHERE run_id = $1 AND target_id = $2 RETURNING *`,
      [
        run.id,
        targetId,
        changes.state ?? null,
        changes.reason ?? null,
        changes.reported ? JSON.stringify(changes.reported) : null,
        changes.note ?? null,
      ],
    );
    if (!rows[0]) throw notFound('target', targetId);
    return toRunTarget(rows[0]);
  });
}

/** Registers files as pending; those registered before are answered as they are. */
export function addRunFiles(
  db: Database,
  address: RunAddress,
  files: NewFile[],
): Promise<RunFile[]> {
  return whileRunning(db, address, async (tx, run) => {
    await checkReferences(tx, run, files);
    const listed = JSON.stringify(
      files.map((file, position) => ({ ...file, id: randomUUID(), position })),
    );
    await tx.query(
      `INSERT INTO run_files (id, run_id, target_id, source_id, path, size)
       SELECT f.id, $1, f."targetId", f."sourceId", f.path, f.size
       FROM jsonb_to_recordset($2::jsonb)
         AS f(id uuid, "targetId" uuid, "sourceId" uuid, path text, size bigint, position integer)
       ORDER BY f.position
       ON CONFLICT DO NOTHING`,
      [run.id, listed],
    );
    const { rows } = await tx.query<RunFileRow>(
      `SELECT r.* FROM jsonb_to_recordset($2::jsonb)
         AS f("targetId" uuid, "sourceId" uuid, path text, position integer)
       JOIN run_files r ON r.run_id = $1 AND r.target_id = f."targetId"
         AND r.source_id = f."sourceId" AND r.path = f.path
       ORDER BY f.position`,
      [run.id, listed],
    );
    return rows.map(toRunFile);
  });
}

/** Files may only name the run's own targets and the sources it started with (422). */
async function checkReferences(tx: Queryable, run: RunRow, files: NewFile[]): Promise<void> {
  const { rows } = await tx.query<{ target_id: string }>(
    'SELECT target_id FROM run_targets WHERE run_id = $1',
    [run.id],
  );
  const targets = new Set(rows.map((row) => row.target_id));
  const sources = new Set(run.sources.map((source) => source.id));
  const errors = files.flatMap((file, index) => [
    ...unknownIn(targets, 'target', file.targetId, `#/files/${index}/targetId`),
    ...unknownIn(sources, 'source', file.sourceId, `#/files/${index}/sourceId`),
  ]);
  if (errors.length > 0) throw unknownReferences(errors);
}

const unknownIn = (known: Set<string>, what: string, id: string, pointer: string) =>
  known.has(id) ? [] : [{ detail: `this run has no ${what} ${id}`, pointer }];

export function updateRunFile(
  db: Database,
  address: RunAddress,
  fileId: string,
  changes: Schemas['RunFileChanges'],
): Promise<RunFile> {
  return whileRunning(db, address, async (tx, run) => {
    const { rows } = await tx.query<RunFileRow>(
      `UPDATE run_files SET state = coalesce($3, state), ${reasonFollowing('$3', '$4')},
         size = coalesce($5, size), bytes_done = coalesce($6, bytes_done),
         checksum = coalesce($7, checksum), version = version + 1, updated_at = now()
       WHERE id = $2 AND run_id = $1 RETURNING *`,
      [
        run.id,
        fileId,
        changes.state ?? null,
        changes.reason ?? null,
        changes.size ?? null,
        changes.bytesDone ?? null,
        changes.checksum ?? null,
      ],
    );
    if (!rows[0]) throw notFound('file', fileId);
    return toRunFile(rows[0]);
  });
}

export interface FileQuery {
  limit: number;
  after: string | null;
  state?: Schemas['TransferState'][] | undefined;
  targetId?: string | undefined;
}

/** One page of a run's files, in the order they were registered; readable after the run. */
export async function listRunFiles(db: Queryable, address: RunAddress, query: FileQuery) {
  const run = await findRun(db, address);
  const { rows } = await db.query<RunFileRow>(
    `SELECT * FROM run_files
     WHERE run_id = $1
       AND ($2::text[] IS NULL OR state = ANY($2::text[]))
       AND ($3::uuid IS NULL OR target_id = $3::uuid)
       AND ($4::bigint IS NULL OR seq > $4::bigint)
     ORDER BY seq LIMIT $5`,
    [run.id, query.state ?? null, query.targetId ?? null, query.after, query.limit + 1],
  );
  const { rows: shown, nextCursor } = page(rows, query.limit);
  return { files: shown.map(toRunFile), ...(nextCursor ? { nextCursor } : {}) };
}
