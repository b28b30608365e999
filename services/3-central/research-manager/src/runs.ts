import { randomUUID } from 'node:crypto';
import type { components } from '@rds/contracts/generated/research-manager';
import type { Database, Queryable } from '@rds/storage';
import { endExport, writeContext, type ContextRow, type Owner } from './contexts.ts';
import { page } from './cursor.ts';
import { contextIncomplete, notFound, runEnded, unknownReferences } from './problems.ts';
import { keepReports, partsOf, type Source } from './sources-and-targets.ts';
import { iso } from './timestamps.ts';

type Schemas = components['schemas'];
export type Run = Schemas['Run'];
export type RunTarget = Schemas['RunTarget'];
export type RunFile = Schemas['RunFile'];
type TransferState = Schemas['TransferState'];

export interface RunRow {
  id: string;
  context_id: string;
  seq: string;
  action: Run['action'];
  state: Run['state'];
  reason: string | null;
  sources: Source[];
  /** The context's status as the run started; null for runs older than the column. */
  started_from: 'ready' | 'failed' | 'exported' | null;
  version: number;
  started_at: Date | string;
  updated_at: Date | string;
  ended_at: Date | string | null;
}

export interface RunTargetRow {
  run_id: string;
  target_id: string;
  port: string;
  settings: Schemas['TargetSettings'];
  state: TransferState;
  reason: string | null;
  note: string | null;
  reported: Schemas['TargetReport'] | null;
  version: number;
  updated_at: Date | string;
}

export interface RunFileRow {
  id: string;
  run_id: string;
  target_id: string;
  source_id: string;
  path: string;
  seq: string;
  state: TransferState;
  reason: string | null;
  // bigint: text from both drivers.
  size: string | null;
  bytes_done: string;
  checksum: string | null;
  version: number;
  updated_at: Date | string;
}

/** Where a run is: its context, and whose that must be. */
export interface RunAddress {
  owner: Owner;
  contextId: string;
  runId: string;
}

const LOCKS = { none: '', share: 'FOR SHARE OF r', update: 'FOR UPDATE OF r' } as const;

/**
 * A run of the owner's context; 404 for any other. A lock holds the run until the transaction
 * ends: `share` for workers' writes, which go side by side, `update` to end it, which waits for
 * them and makes later ones see the run ended.
 */
export async function findRun(
  db: Queryable,
  { owner, contextId, runId }: RunAddress,
  lock: keyof typeof LOCKS = 'none',
): Promise<RunRow> {
  const { rows } = await db.query<RunRow>(
    `SELECT r.* FROM runs r JOIN contexts c ON c.id = r.context_id
     WHERE r.id = $1 AND r.context_id = $2 AND c.tenant = $3 AND c.user_id = $4
     ${LOCKS[lock]}`,
    [runId, contextId, owner.tenant, owner.user],
  );
  if (!rows[0]) throw notFound('run', runId);
  return rows[0];
}

/** What a run is to do, and where. */
export interface RunStart {
  /** The context's targets to export to; all when absent. */
  targetIds?: string[] | undefined;
  action?: Run['action'] | undefined;
}

/**
 * Starts a run of `context` (read at the version its If-Match named, and allowed to export) to
 * the targets named, or all, with a copy of its sources and of those targets; the context moves
 * to `exporting` in the same transaction.
 */
export function startRun(
  db: Database,
  context: ContextRow,
  { targetIds, action = 'export' }: RunStart,
): Promise<RunRow> {
  return db.transaction(async (tx) => {
    // First: from here the transaction holds the context, so its sources and targets stay as read.
    await writeContext(tx, context, { status: 'exporting' });
    const startedFrom = context.status;
    const { sources, targets } = (await partsOf(tx, [context.id])).get(context.id)!;
    const byId = new Map(targets.map((target) => [target.id, target]));
    const unknown = (targetIds ?? []).flatMap((id, index) =>
      byId.has(id)
        ? []
        : [{ detail: `this context has no target ${id}`, pointer: `#/targetIds/${index}` }],
    );
    if (unknown.length > 0) throw unknownReferences(unknown);
    const chosen = targetIds ? targetIds.map((id) => byId.get(id)!) : targets;
    const missing = [
      ...(sources.length === 0 ? ['sources'] : []),
      ...(chosen.length === 0 ? ['targets'] : []),
    ];
    if (missing.length > 0) throw contextIncomplete(missing);

    const { rows } = await tx.query<RunRow>(
      `INSERT INTO runs (id, context_id, sources, started_from, action)
       VALUES ($1, $2, $3, $4, $5) RETURNING *`,
      [randomUUID(), context.id, JSON.stringify(sources), startedFrom, action],
    );
    const run = rows[0]!;
    await tx.query(
      `INSERT INTO run_targets (run_id, target_id, position, port, settings)
       SELECT $1, t.id, t.position, t.port, t.settings
       FROM jsonb_to_recordset($2::jsonb) AS t(id uuid, position integer, port text, settings jsonb)`,
      [
        run.id,
        JSON.stringify(
          chosen.map(({ id, port, settings }, position) => ({ id, position, port, settings })),
        ),
      ],
    );
    return run;
  });
}

const UNFINISHED = 'The run ended before this was finished.';
const NOT_EVERY_TARGET = 'Not every target was exported.';
const CANCELLED = 'The export was cancelled.';

type Ended = Exclude<Run['state'], 'running'>;

/** How a run ends: why unfinished work stopped, and whether the user cancelled it. */
export interface Ending {
  reason?: string | undefined;
  cancelled?: boolean | undefined;
}

/**
 * Ends a running run, keeping what the targets reported on the context's targets. The run is
 * `done` when every target is, and its context becomes `exported`. Otherwise, when cancelled,
 * the run is `cancelled`: unfinished targets and files go back to `pending` (they were not
 * tried, nothing failed), and the context goes back to `exported` if it was as the run started
 * (that export's record still stands), else to `ready`. Otherwise the run is `failed`:
 * unfinished targets and files fail with `reason`, and so does the context.
 */
export function endRun(db: Database, address: RunAddress, ending: Ending = {}): Promise<RunRow> {
  return db.transaction(async (tx) => {
    const run = await findRun(tx, address, 'update');
    if (run.state !== 'running') throw runEnded();
    const { rows: outcome } = await tx.query<{ done: boolean }>(
      `SELECT bool_and(state = 'done') AS done FROM run_targets WHERE run_id = $1`,
      [run.id],
    );
    const done = outcome[0]?.done === true;
    const state: Ended = done ? 'done' : ending.cancelled ? 'cancelled' : 'failed';
    if (state === 'cancelled') {
      await tx.query(
        `UPDATE run_files SET state = 'pending', bytes_done = 0, version = version + 1,
           updated_at = now()
         WHERE run_id = $1 AND state = 'transferring'`,
        [run.id],
      );
      await tx.query(
        `UPDATE run_targets SET state = 'pending', version = version + 1, updated_at = now()
         WHERE run_id = $1 AND state = 'transferring'`,
        [run.id],
      );
    } else {
      for (const table of ['run_files', 'run_targets']) {
        await tx.query(
          `UPDATE ${table} SET state = 'failed', reason = $2, version = version + 1, updated_at = now()
           WHERE run_id = $1 AND state IN ('pending', 'transferring')`,
          [run.id, ending.reason ?? UNFINISHED],
        );
      }
    }
    const reason = {
      done: null,
      cancelled: ending.reason ?? CANCELLED,
      failed: ending.reason ?? NOT_EVERY_TARGET,
    }[state];
    const { rows } = await tx.query<RunRow>(
      `UPDATE runs SET state = $2, reason = $3, ended_at = now(), updated_at = now(),
         version = version + 1
       WHERE id = $1 RETURNING *`,
      [run.id, state, reason],
    );
    const status = {
      done: 'exported',
      cancelled: run.started_from === 'exported' ? 'exported' : 'ready',
      failed: 'failed',
    } as const;
    // The context's row before its targets' rows: the order every write of a context keeps.
    await endExport(tx, run.context_id, status[state]);
    await keepReports(tx, run.context_id, run.id);
    return rows[0]!;
  });
}

/** One page of a context's runs, newest first. */
export async function listRuns(
  db: Queryable,
  contextId: string,
  query: { limit: number; after: string | null },
) {
  const { rows } = await db.query<RunRow>(
    `SELECT * FROM runs WHERE context_id = $1 AND ($2::bigint IS NULL OR seq < $2::bigint)
     ORDER BY seq DESC LIMIT $3`,
    [contextId, query.after, query.limit + 1],
  );
  return page(rows, query.limit);
}

interface TotalsRow {
  run_id: string;
  files: number;
  files_done: number;
  files_failed: number;
  bytes: string;
  bytes_done: string;
  versions: string;
}

/**
 * Runs as the contract shows them, with their targets, totals and the files in transfer, and
 * each with its entity tag: the versions of the run, its targets and its files, so that it
 * changes with every write to any of them.
 */
export async function toRuns(
  db: Queryable,
  rows: RunRow[],
): Promise<{ run: Run; entityTag: string }[]> {
  const ids = rows.map((row) => row.id);
  const [targets, totals, current] = await Promise.all([
    db.query<RunTargetRow>(
      'SELECT * FROM run_targets WHERE run_id = ANY($1::uuid[]) ORDER BY position',
      [ids],
    ),
    db.query<TotalsRow>(
      `SELECT run_id,
         count(*)::integer AS files,
         count(*) FILTER (WHERE state = 'done')::integer AS files_done,
         count(*) FILTER (WHERE state = 'failed')::integer AS files_failed,
         coalesce(sum(size), 0)::bigint AS bytes,
         coalesce(sum(bytes_done), 0)::bigint AS bytes_done,
         sum(version)::bigint AS versions
       FROM run_files WHERE run_id = ANY($1::uuid[]) GROUP BY run_id`,
      [ids],
    ),
    db.query<RunFileRow>(
      `SELECT * FROM run_files WHERE run_id = ANY($1::uuid[]) AND state = 'transferring'
       ORDER BY updated_at DESC, seq DESC`,
      [ids],
    ),
  ]);
  return rows.map((row) => {
    const own = targets.rows.filter((target) => target.run_id === row.id);
    const sums = totals.rows.find((total) => total.run_id === row.id);
    const targetsFailed = own.filter((target) => target.state === 'failed').length;
    const targetVersions = own.reduce((sum, target) => sum + target.version, 0);
    return {
      entityTag: `"${row.version}.${targetVersions}.${sums?.versions ?? 0}"`,
      run: {
        id: row.id,
        contextId: row.context_id,
        action: row.action,
        state: row.state,
        ...(row.reason ? { reason: row.reason } : {}),
        sources: row.sources,
        targets: own.map(toRunTarget),
        totals: {
          files: sums?.files ?? 0,
          filesDone: sums?.files_done ?? 0,
          filesFailed: sums?.files_failed ?? 0,
          bytes: Number(sums?.bytes ?? 0),
          bytesDone: Number(sums?.bytes_done ?? 0),
          errors: (sums?.files_failed ?? 0) + targetsFailed,
        },
        currentFiles: current.rows.filter((file) => file.run_id === row.id).map(toRunFile),
        startedAt: iso(row.started_at),
        updatedAt: iso(row.updated_at),
        ...(row.ended_at ? { endedAt: iso(row.ended_at) } : {}),
      },
    };
  });
}

export function toRunTarget(row: RunTargetRow): RunTarget {
  return {
    targetId: row.target_id,
    port: row.port,
    settings: row.settings,
    state: row.state,
    ...(row.reason ? { reason: row.reason } : {}),
    ...(row.note ? { note: row.note } : {}),
    ...(row.reported ? { reported: row.reported } : {}),
    updatedAt: iso(row.updated_at),
  };
}

export function toRunFile(row: RunFileRow): RunFile {
  return {
    id: row.id,
    targetId: row.target_id,
    sourceId: row.source_id,
    path: row.path,
    state: row.state,
    ...(row.reason ? { reason: row.reason } : {}),
    ...(row.size === null ? {} : { size: Number(row.size) }),
    bytesDone: Number(row.bytes_done),
    ...(row.checksum ? { checksum: row.checksum } : {}),
    updatedAt: iso(row.updated_at),
  };
}
