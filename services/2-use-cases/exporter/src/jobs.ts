import { randomUUID } from 'node:crypto';
import type { Database } from '@rds/storage';

/** One export to carry out: a run of research-manager, acted on for its user. */
export interface Job {
  id: string;
  tenant: string;
  userId: string;
  contextId: string;
  runId: string;
  attempts: number;
  /** Why the previous attempt stopped, when it failed transiently. */
  lastError?: string;
}

interface JobRow {
  id: string;
  tenant: string;
  user_id: string;
  context_id: string;
  run_id: string;
  attempts: number;
  last_error: string | null;
}

const jobOf = (row: JobRow): Job => ({
  id: row.id,
  tenant: row.tenant,
  userId: row.user_id,
  contextId: row.context_id,
  runId: row.run_id,
  attempts: row.attempts,
  ...(row.last_error ? { lastError: row.last_error } : {}),
});

export type Ending = 'done' | 'failed' | 'cancelled';

/**
 * The durable queue of export jobs, in the exporter's own table. A job is claimed under a lease
 * that its worker renews while working; when the worker dies the lease runs out and any
 * worker may claim the job again.
 */
export class JobQueue {
  constructor(
    private readonly db: Database,
    private readonly leaseMs: number,
  ) {}

  async enqueue(job: Omit<Job, 'id' | 'attempts' | 'lastError'>): Promise<void> {
    await this.db.query(
      `INSERT INTO jobs (id, tenant, user_id, context_id, run_id, state)
       VALUES ($1, $2, $3, $4, $5, 'queued')`,
      [randomUUID(), job.tenant, job.userId, job.contextId, job.runId],
    );
  }

  /** The oldest job nobody holds, now leased to `owner`; none when there is nothing to do. */
  async claim(owner: string): Promise<Job | undefined> {
    // SKIP LOCKED: workers claiming at once each take a different job instead of queueing
    // behind one another's row lock.
    const { rows } = await this.db.query<JobRow>(
      `UPDATE jobs
          SET state = 'running', attempts = attempts + 1, lease_owner = $1,
              lease_until = now() + $2::double precision * interval '1 millisecond', updated_at = now()
        WHERE id = (
          SELECT id FROM jobs
           WHERE not_before <= now()
             AND (state = 'queued' OR (state = 'running' AND lease_until < now()))
           ORDER BY created_at
           LIMIT 1
           FOR UPDATE SKIP LOCKED)
        RETURNING id, tenant, user_id, context_id, run_id, attempts, last_error`,
      [owner, this.leaseMs],
    );
    return rows[0] && jobOf(rows[0]);
  }

  /**
   * Extends the lease. Answers whether the job is still `owner`'s (a worker that stalled past
   * its lease may have lost it) and whether its user asked to cancel.
   */
  async renew(job: Job, owner: string): Promise<{ held: boolean; cancelRequested: boolean }> {
    const { rows } = await this.db.query<{ cancel_requested: boolean }>(
      `UPDATE jobs SET lease_until = now() + $3::double precision * interval '1 millisecond', updated_at = now()
        WHERE id = $1 AND lease_owner = $2 AND state = 'running'
        RETURNING cancel_requested`,
      [job.id, owner, this.leaseMs],
    );
    return { held: rows.length > 0, cancelRequested: rows[0]?.cancel_requested ?? false };
  }

  async finish(job: Job, owner: string, ending: Ending, error?: string): Promise<void> {
    await this.db.query(
      `UPDATE jobs SET state = $3, lease_owner = NULL, lease_until = NULL, last_error = $4,
              updated_at = now()
        WHERE id = $1 AND lease_owner = $2`,
      [job.id, owner, ending, error ?? null],
    );
  }

  /** Gives the job back, to be claimed again after `delayMs` (by this worker or another). */
  async release(job: Job, owner: string, delayMs = 0, error?: string): Promise<void> {
    await this.db.query(
      `UPDATE jobs SET state = 'queued', lease_owner = NULL, lease_until = NULL,
              not_before = now() + $3::double precision * interval '1 millisecond', last_error = $4,
              updated_at = now()
        WHERE id = $1 AND lease_owner = $2`,
      [job.id, owner, delayMs, error ?? null],
    );
  }

  /**
   * Asks the job of `runId` to stop. A job no worker holds yet is cancelled at once (answered
   * `queued`, for the caller to end the run); a running one stops at its next file boundary.
   */
  async cancel(
    runId: string,
    owner: { tenant: string; userId: string },
  ): Promise<{ was: 'queued' | 'running' | 'ended'; contextId: string } | undefined> {
    return this.db.transaction(async (tx) => {
      const { rows } = await tx.query<{ id: string; state: string; context_id: string }>(
        `SELECT id, state, context_id FROM jobs WHERE run_id = $1 AND tenant = $2 AND user_id = $3 FOR UPDATE`,
        [runId, owner.tenant, owner.userId],
      );
      const row = rows[0];
      if (!row) return undefined;
      const contextId = row.context_id;
      if (row.state === 'queued') {
        await tx.query(
          `UPDATE jobs SET state = 'cancelled', cancel_requested = true, updated_at = now()
            WHERE id = $1`,
          [row.id],
        );
        return { was: 'queued', contextId };
      }
      if (row.state === 'running') {
        await tx.query(
          `UPDATE jobs SET cancel_requested = true, updated_at = now() WHERE id = $1`,
          [row.id],
        );
        return { was: 'running', contextId };
      }
      return { was: 'ended', contextId };
    });
  }
}
