import type { FastifyReply, FastifyRequest } from 'fastify';
import { actingUser, type Handler } from '@rds/kit';
import type { components } from '@rds/contracts/generated/research-manager';
import type { Database } from '@rds/storage';
import {
  createContext,
  findContext,
  listContexts,
  toContexts,
  writeContext,
  type ContextChange,
  type ContextQuery,
  type ContextRow,
} from './contexts.ts';
import { decodeCursor } from './cursor.ts';
import { checkTransition, type Status } from './lifecycle.ts';
import { checkIfMatch, entityTag } from './preconditions.ts';
import { contextDeleted, contextExporting, contextNotDeleted } from './problems.ts';
import { addRunFiles, listRunFiles, updateRunFile, updateRunTarget } from './progress.ts';
import {
  endRun,
  findRun,
  listRuns,
  startRun,
  toRuns,
  type RunAddress,
  type RunRow,
} from './runs.ts';
import {
  addPart,
  removePart,
  updatePart,
  type Kind,
  type PartFields,
} from './sources-and-targets.ts';

type Schemas = components['schemas'];

interface Params {
  contextId: string;
  sourceId: string;
  targetId: string;
  runId: string;
  fileId: string;
}
const params = (request: FastifyRequest) => request.params as Params;

function runAddress(request: FastifyRequest): RunAddress {
  const { contextId, runId } = params(request);
  return { owner: actingUser(request), contextId, runId };
}

interface PageQuery {
  limit: number;
  cursor?: string;
}

export function handlers(db: Database): Record<string, Handler> {
  // The row is read before its sources and targets: a write landing in between makes the tag
  // older than the body, never newer, so a write based on it is refused rather than lost.
  const sendContext = async (reply: FastifyReply, row: ContextRow, status = 200) => {
    const [context] = await toContexts(db, [row]);
    return reply.code(status).header('etag', entityTag(row.version)).send(context);
  };

  const sendRun = async (reply: FastifyReply, row: RunRow, status = 200) => {
    const [shown] = await toRuns(db, [row]);
    return reply.code(status).header('etag', shown!.entityTag).send(shown!.run);
  };

  /** The owner's context, to change: 404, then 428 or 412 unless If-Match names its version. */
  const contextToWrite = async (request: FastifyRequest): Promise<ContextRow> => {
    const context = await findContext(db, actingUser(request), params(request).contextId);
    checkIfMatch(request.headers['if-match'], entityTag(context.version));
    return context;
  };

  /** A deleted context takes no change but its restoration. */
  const liveContextToWrite = async (request: FastifyRequest): Promise<ContextRow> => {
    const context = await contextToWrite(request);
    if (context.deleted_at) throw contextDeleted();
    return context;
  };

  /** Sources and targets are what a run exports: they stay as they are while it runs. */
  const contextToReshape = async (request: FastifyRequest): Promise<ContextRow> => {
    const context = await liveContextToWrite(request);
    if (context.status === 'exporting') throw contextExporting();
    return context;
  };

  // Writes lock the context's row before any of its sources' or targets' rows, all in one
  // order, so that two writes never wait for each other.
  const addOne =
    (kind: Kind): Handler =>
    async (request, reply) => {
      const context = await contextToReshape(request);
      const { written, part } = await db.transaction(async (tx) => ({
        written: await writeContext(tx, context),
        part: await addPart(tx, kind, context.id, request.body as Required<PartFields>),
      }));
      return reply.code(201).header('etag', entityTag(written.version)).send(part);
    };

  const updateOne =
    (kind: Kind): Handler =>
    async (request, reply) => {
      const context = await contextToReshape(request);
      const id = kind === 'source' ? params(request).sourceId : params(request).targetId;
      const { written, part } = await db.transaction(async (tx) => ({
        written: await writeContext(tx, context),
        part: await updatePart(tx, kind, context.id, id, request.body as PartFields),
      }));
      return reply.header('etag', entityTag(written.version)).send(part);
    };

  const removeOne =
    (kind: Kind): Handler =>
    async (request, reply) => {
      const context = await contextToReshape(request);
      const id = kind === 'source' ? params(request).sourceId : params(request).targetId;
      const written = await db.transaction(async (tx) => {
        const changed = await writeContext(tx, context);
        await removePart(tx, kind, context.id, id);
        return changed;
      });
      return reply.code(204).header('etag', entityTag(written.version)).send();
    };

  return {
    createContext: async (request, reply) => {
      const body = request.body as { name: string; description?: string };
      const row = await createContext(db, actingUser(request), body);
      reply.header('location', `/contexts/${row.id}`);
      return sendContext(reply, row, 201);
    },

    listContexts: async (request) => {
      const { cursor, ...filters } = request.query as PageQuery &
        Pick<ContextQuery, 'status' | 'deleted'>;
      const { rows, nextCursor } = await listContexts(db, actingUser(request), {
        ...filters,
        after: decodeCursor(cursor),
      });
      return { contexts: await toContexts(db, rows), ...(nextCursor ? { nextCursor } : {}) };
    },

    getContext: async (request, reply) =>
      sendContext(reply, await findContext(db, actingUser(request), params(request).contextId)),

    updateContext: async (request, reply) => {
      const context = await liveContextToWrite(request);
      const changes = request.body as Pick<ContextChange, 'name' | 'description' | 'metadata'>;
      return sendContext(reply, await writeContext(db, context, changes));
    },

    deleteContext: async (request, reply) => {
      const context = await contextToReshape(request);
      return sendContext(reply, await writeContext(db, context, { deleted: true }));
    },

    restoreContext: async (request, reply) => {
      const context = await contextToWrite(request);
      if (!context.deleted_at) throw contextNotDeleted();
      return sendContext(reply, await writeContext(db, context, { deleted: false }));
    },

    changeStatus: async (request, reply) => {
      const context = await liveContextToWrite(request);
      const { status } = request.body as { status: Status };
      checkTransition(context.status, status, 'status call');
      return sendContext(reply, await writeContext(db, context, { status }));
    },

    addSource: addOne('source'),
    updateSource: updateOne('source'),
    removeSource: removeOne('source'),
    addTarget: addOne('target'),
    updateTarget: updateOne('target'),
    removeTarget: removeOne('target'),

    startRun: async (request, reply) => {
      const context = await liveContextToWrite(request);
      checkTransition(context.status, 'exporting', 'run');
      const { targetIds, action } = request.body as {
        targetIds?: string[];
        action?: RunRow['action'];
      };
      const run = await startRun(db, context, { targetIds, action });
      reply.header('location', `/contexts/${context.id}/runs/${run.id}`);
      return sendRun(reply, run, 201);
    },

    listRuns: async (request) => {
      const context = await findContext(db, actingUser(request), params(request).contextId);
      const { limit, cursor } = request.query as PageQuery;
      const { rows, nextCursor } = await listRuns(db, context.id, {
        limit,
        after: decodeCursor(cursor),
      });
      const runs = (await toRuns(db, rows)).map((shown) => shown.run);
      return { runs, ...(nextCursor ? { nextCursor } : {}) };
    },

    getRun: async (request, reply) => sendRun(reply, await findRun(db, runAddress(request))),

    endRun: async (request, reply) => {
      const ending = request.body as { reason?: string; cancelled?: boolean };
      return sendRun(reply, await endRun(db, runAddress(request), ending));
    },

    updateRunTarget: async (request) =>
      updateRunTarget(
        db,
        runAddress(request),
        params(request).targetId,
        request.body as Schemas['RunTargetChanges'],
      ),

    addRunFiles: async (request) => {
      const { files } = request.body as { files: Parameters<typeof addRunFiles>[2] };
      return { files: await addRunFiles(db, runAddress(request), files) };
    },

    listRunFiles: async (request) => {
      const { cursor, ...filters } = request.query as PageQuery & {
        state?: Schemas['TransferState'][];
        targetId?: string;
      };
      return listRunFiles(db, runAddress(request), { ...filters, after: decodeCursor(cursor) });
    },

    updateRunFile: async (request) =>
      updateRunFile(
        db,
        runAddress(request),
        params(request).fileId,
        request.body as Schemas['RunFileChanges'],
      ),
  };
}
