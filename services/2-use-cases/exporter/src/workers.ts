import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { backoffDelay, runWithContext } from '@rds/kit';
import type { Logger } from 'pino';
import { Cancelled, Export, type ExportDeps } from './export.ts';
import type { Job, JobQueue } from './jobs.ts';
import { isTransient } from './port-calls.ts';
import { runEnded } from './research-manager.ts';

export interface WorkerOptions {
  count: number;
  leaseMs: number;
  /** How often an idle worker looks for jobs queued by other replicas. */
  pollMs: number;
  /** A job failing transiently this many times ends its run as failed. */
  maxAttempts: number;
}

class Stopping extends Error {}
class LeaseLost extends Error {}

const STOP_BOUND_MS = 10_000;
/**
 * How long a job interrupted by a transient failure is held back before it is claimed again: the
 * queue is the loop, as the next attempt may be another replica's.
 */
const JOB_BACKOFF = { baseDelayMs: 1000, maxDelayMs: 60_000, jitter: false };

/**
 * The exporter's workers: each claims a job, carries out its export for the job's user, and
 * keeps the job's lease alive while it works. Stopping aborts the current exports at once and
 * gives their jobs back, so that another worker continues them.
 */
export class Workers {
  private readonly owner = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  private readonly running = new Set<AbortController>();
  /** How to tell the worker that holds a run's job here that its user cancelled it. */
  private readonly cancellers = new Map<string, () => void>();
  private loops: Promise<void>[] = [];
  private stopping = new AbortController();
  private wakeUp: () => void = () => {};

  constructor(
    private readonly queue: JobQueue,
    private readonly deps: ExportDeps,
    private readonly options: WorkerOptions,
    private readonly logger: Pick<Logger, 'info' | 'warn' | 'error'>,
  ) {}

  start(): void {
    this.loops = Array.from({ length: this.options.count }, (_, i) =>
      this.loop(`${this.owner}#${i}`),
    );
  }

  /** A job was queued here: idle workers look now instead of at their next poll. */
  wake(): void {
    this.wakeUp();
  }

  /**
   * The user cancelled the export of `runId`: if a worker here holds its job, it stops at its
   * next file boundary without waiting to renew the lease.
   */
  cancel(runId: string): void {
    this.cancellers.get(runId)?.();
  }

  async stop(): Promise<void> {
    this.stopping.abort();
    for (const job of this.running) job.abort(new Stopping());
    await Promise.race([Promise.all(this.loops), sleep(STOP_BOUND_MS, undefined, { ref: false })]);
  }

  private async loop(owner: string): Promise<void> {
    while (!this.stopping.signal.aborted) {
      let job: Job | undefined;
      try {
        job = await this.queue.claim(owner);
      } catch (error) {
        this.logger.warn({ err: error }, 'could not claim a job');
      }
      if (job) {
        // Even the bookkeeping failed (the database is gone): the lease runs out, and the
        // job is taken up again.
        await this.work(job, owner).catch((error: unknown) =>
          this.logger.error({ err: error, jobId: job.id }, 'job left to its lease'),
        );
      } else await this.idle();
    }
  }

  private async idle(): Promise<void> {
    const woken = new Promise<void>((resolve) => (this.wakeUp = resolve));
    await Promise.race([
      woken,
      sleep(this.options.pollMs, undefined, { signal: this.stopping.signal }).catch(() => {}),
    ]);
  }

  private async work(job: Job, owner: string): Promise<void> {
    const controller = new AbortController();
    this.running.add(controller);
    let cancelRequested = false;
    this.cancellers.set(job.runId, () => (cancelRequested = true));
    const heartbeat = setInterval(
      () => {
        this.queue.renew(job, owner).then(
          (lease) => {
            // Once asked, stays asked: a renewal read before the cancel must not undo it.
            cancelRequested ||= lease.cancelRequested;
            if (!lease.held) controller.abort(new LeaseLost());
          },
          // Keep working: the lease is renewed again shortly, or runs out and another takes over.
          (error: unknown) => this.logger.warn({ err: error, jobId: job.id }, 'lease not renewed'),
        );
      },
      Math.min(this.options.leaseMs / 3, 2000),
    );
    const steering = {
      signal: controller.signal,
      checkpoint: () => {
        if (controller.signal.aborted) throw controller.signal.reason;
        if (cancelRequested) throw new Cancelled();
      },
    };
    const log = { jobId: job.id, runId: job.runId, attempt: job.attempts };
    try {
      await runWithContext({ tenant: job.tenant, user: job.userId, requestId: randomUUID() }, () =>
        this.carryOut(job, owner, steering, log),
      );
    } finally {
      clearInterval(heartbeat);
      this.running.delete(controller);
      this.cancellers.delete(job.runId);
    }
  }

  private async carryOut(
    job: Job,
    owner: string,
    steering: ConstructorParameters<typeof Export>[3],
    log: object,
  ): Promise<void> {
    const rm = this.deps.researchManager;
    const end = async (reason: string, options: { cancelled?: boolean } = {}) => {
      await rm.endRun(job.contextId, job.runId, reason, options).catch((error: unknown) => {
        if (!runEnded(error)) throw error;
      });
    };
    try {
      if (job.attempts > this.options.maxAttempts) {
        await end(
          `The export was interrupted ${job.attempts - 1} times${job.lastError ? `; the last time: ${job.lastError}` : ''}. Start it again later.`,
        );
        await this.queue.finish(job, owner, 'failed');
        return;
      }
      this.logger.info(log, 'export started');
      await new Export(this.deps, job.contextId, job.runId, steering).run();
      await this.queue.finish(job, owner, 'done');
      this.logger.info(log, 'export finished');
    } catch (error) {
      const reason = steering.signal.reason as unknown;
      if (error instanceof Cancelled) {
        await end(error.message, { cancelled: true });
        await this.queue.finish(job, owner, 'cancelled');
      } else if (steering.signal.aborted && reason instanceof Stopping) {
        await this.queue.release(job, owner);
        this.logger.info(log, 'export given back while stopping');
      } else if (steering.signal.aborted && reason instanceof LeaseLost) {
        this.logger.warn(log, 'lease lost; another worker continues the export');
      } else if (runEnded(error)) {
        await this.queue.finish(job, owner, 'cancelled');
      } else if (isTransient(error)) {
        const delayMs = backoffDelay(JOB_BACKOFF, job.attempts);
        this.logger.warn({ ...log, err: error, delayMs }, 'export interrupted; retried later');
        await this.queue.release(job, owner, delayMs, (error as Error).message);
      } else {
        this.logger.error({ ...log, err: error }, 'export failed');
        await end('The export failed unexpectedly; the exporter log has the details.');
        await this.queue.finish(job, owner, 'failed', (error as Error).message);
      }
    }
  }
}
