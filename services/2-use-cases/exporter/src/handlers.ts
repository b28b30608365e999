import type { ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { actingUser, ProblemError, type Handlers } from '@rds/kit';
import type { operations } from '@rds/contracts/generated/exporter';
import type { FastifyRequest } from 'fastify';
import { Cancelled } from './export.ts';
import type { JobQueue } from './jobs.ts';
import { readProgress, type Progress } from './progress.ts';
import { runEnded, type Context, type ResearchManager } from './research-manager.ts';
import type { Workers } from './workers.ts';

export interface Api {
  researchManager: ResearchManager;
  queue: JobQueue;
  workers: Workers;
  /** How often an event stream reads the run again. */
  progressIntervalMs: number;
}

/** A request for one export: the run, and the context it belongs to. */
type ExportRequest = FastifyRequest<{
  Params: { runId: string };
  Querystring: { contextId: string };
}>;

/** Jobs name their user as the queue's table does. */
function jobOwner(request: FastifyRequest): { tenant: string; userId: string } {
  const { tenant, user } = actingUser(request);
  return { tenant, userId: user };
}

export function handlers(api: Api): Handlers<operations> {
  const { researchManager: rm, queue } = api;
  const addressOf = (request: ExportRequest) => ({
    runId: request.params.runId,
    contextId: request.query.contextId,
  });

  return {
    startExport: async (request, reply) => {
      const owner = jobOwner(request);
      const { contextId, action = 'export' } = request.body;
      const { context, etag } = await rm.context(contextId);
      const run = await rm.startRun(
        contextId,
        etag,
        action === 'publish-draft' ? { action, targetIds: draftsToPublish(context) } : { action },
      );
      await queue.enqueue({ ...owner, contextId, runId: run.id });
      api.workers.wake();
      return reply.code(202).send({ runId: run.id });
    },

    getExport: async (request) => {
      actingUser(request);
      const { contextId, runId } = addressOf(request);
      return readProgress(rm, contextId, runId);
    },

    streamExport: async (request, reply) => {
      actingUser(request);
      const { contextId, runId } = addressOf(request);
      // Read before answering, so that an unknown run is a problem rather than an empty stream.
      const first = await readProgress(rm, contextId, runId);
      reply.hijack();
      await streamProgress(
        request,
        reply.raw,
        first,
        () => readProgress(rm, contextId, runId),
        api.progressIntervalMs,
      );
    },

    cancelExport: async (request, reply) => {
      const owner = jobOwner(request);
      const { runId } = request.params;
      const job = await queue.cancel(runId, owner);
      if (!job) {
        throw new ProblemError(404, {
          detail: `There is no export ${runId}.`,
          messageKey: 'export.notFound',
          args: { runId },
        });
      }
      if (job.was === 'ended') {
        throw new ProblemError(409, {
          detail: 'This export has ended already.',
          messageKey: 'export.ended',
          args: { runId },
        });
      }
      // No worker holds it: nobody else would end the run.
      if (job.was === 'queued') {
        await rm
          .endRun(job.contextId, runId, new Cancelled().message, { cancelled: true })
          .catch((error: unknown) => {
            if (!runEnded(error)) throw error;
          });
      } else {
        // A worker of this replica stops at its next file boundary now; one of another replica
        // hears of it as it renews the job's lease.
        api.workers.cancel(runId);
      }
      return reply.code(202).send({ runId });
    },
  };
}

/** The targets holding a draft an export left complete; 409 when there is none. */
function draftsToPublish(context: Context): string[] {
  const ids = context.targets
    .filter((target) => target.reported?.draftId && target.reported.draftComplete)
    .map((target) => target.id);
  if (ids.length > 0) return ids;
  throw new ProblemError(409, {
    detail:
      'There is no draft to publish: export with "Leave a draft" first, or export to publish.',
    messageKey: 'export.noDraft',
    args: { contextId: context.id },
  });
}

const event = (name: string, progress: Progress) =>
  `event: ${name}\ndata: ${JSON.stringify(progress)}\n\n`;

/**
 * Server-sent events: the progress now, again whenever it changes, and `end` once the run has
 * ended. Stops early when the client leaves or the service shuts down.
 */
async function streamProgress(
  request: FastifyRequest,
  response: ServerResponse,
  first: Progress,
  read: () => Promise<Progress>,
  intervalMs: number,
): Promise<void> {
  const left = new AbortController();
  request.raw.on('close', () => left.abort());
  response.writeHead(200, {
    'content-type': 'text/event-stream',
    'cache-control': 'no-store',
    'x-request-id': request.id,
  });
  let progress = first;
  let sent = '';
  try {
    for (;;) {
      const data = JSON.stringify(progress);
      if (progress.state !== 'running') {
        response.write(event('end', progress));
        break;
      }
      if (data !== sent) response.write(event('progress', progress));
      sent = data;
      await sleep(intervalMs, undefined, { signal: left.signal });
      // A closed server is shutting down: the stream must not hold it up.
      if (!request.server.server.listening) break;
      progress = await read();
    }
  } catch (error) {
    if (!left.signal.aborted) {
      request.log.warn({ err: error }, 'progress stream stopped');
    }
  } finally {
    response.end();
  }
}
