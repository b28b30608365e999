import type { FastifyReply, FastifyRequest } from 'fastify';
import { actingUser, withDefaults, type Handlers } from '@rds/kit';
import type { operations } from '@rds/contracts/generated/research-manager';
import type { Database } from '@rds/storage';
import {
  createContext,
  findContext,
  listContexts,
  toContexts,
  writeContext,
  type ContextRow,
} from './contexts.ts';
import { decodeCursor } from './cursor.ts';
import { checkTransition } from './lifecycle.ts';
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

/** A request about one context (its path names it). */
type ContextRequest = FastifyRequest<{ Params: { contextId: string } }>;

function runAddress(
  request: FastifyRequest<{ Params: { contextId: string; runId: string } }>,
): RunAddress {
  const { contextId, runId } = request.params;
  return { owner: actingUser(request), contextId, runId };
}

export function handlers(db: Database): Handlers<operations> {
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
  const contextToWrite = async (request: ContextRequest): Promise<ContextRow> => {
    const context = await findContext(db, actingUser(request), request.params.contextId);
    checkIfMatch(request.headers['if-match'], entityTag(context.version));
    return context;
  };

  /** A deleted context takes no change but its restoration. */
  const liveContextToWrite = async (request: ContextRequest): Promise<ContextRow> => {
    const context = await contextToWrite(request);
    if (context.deleted_at) throw contextDeleted();
    return context;
  };

  /** Sources and targets are what a run exports: they stay as they are while it runs. */
  const contextToReshape = async (request: ContextRequest): Promise<ContextRow> => {
    const context = await liveContextToWrite(request);
    if (context.status === 'exporting') throw contextExporting();
    return context;
  };

  // Writes lock the context's row before any of its sources' or targets' rows, all in one
  // order, so that two writes never wait for each other.
  /** A source's or target's context and the part itself, for a change to it. */
  type PartRequest = FastifyRequest<{ Params: { contextId: string } }>;

  const addOne = async (
    kind: Kind,
    request: PartRequest,
    reply: FastifyReply,
    fields: Required<PartFields>,
  ) => {
    const context = await contextToReshape(request);
    const { written, part } = await db.transaction(async (tx) => ({
      written: await writeContext(tx, context),
      part: await addPart(tx, kind, context.id, fields),
    }));
    return reply.code(201).header('etag', entityTag(written.version)).send(part);
  };

  const updateOne = async (
    kind: Kind,
    id: string,
    request: PartRequest,
    reply: FastifyReply,
    fields: PartFields,
  ) => {
    const context = await contextToReshape(request);
    const { written, part } = await db.transaction(async (tx) => ({
      written: await writeContext(tx, context),
      part: await updatePart(tx, kind, context.id, id, fields),
    }));
    return reply.header('etag', entityTag(written.version)).send(part);
  };

  const removeOne = async (kind: Kind, id: string, request: PartRequest, reply: FastifyReply) => {
    const context = await contextToReshape(request);
    const written = await db.transaction(async (tx) => {
      const changed = await writeContext(tx, context);
      await removePart(tx, kind, context.id, id);
      return changed;
    });
    return reply.code(204).header('etag', entityTag(written.version)).send();
  };

  return {
    createContext: async (request, reply) => {
      const row = await createContext(db, actingUser(request), request.body);
      reply.header('location', `/contexts/${row.id}`);
      return sendContext(reply, row, 201);
    },

    listContexts: async (request) => {
      const { cursor, ...filters } = withDefaults(request.query, 'limit', 'deleted');
      const { rows, nextCursor } = await listContexts(db, actingUser(request), {
        ...filters,
        after: decodeCursor(cursor),
      });
      return { contexts: await toContexts(db, rows), ...(nextCursor ? { nextCursor } : {}) };
    },

    getContext: async (request, reply) =>
      sendContext(reply, await findContext(db, actingUser(request), request.params.contextId)),

    updateContext: async (request, reply) => {
      const context = await liveContextToWrite(request);
      return sendContext(reply, await writeContext(db, context, request.body));
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
      const { status } = request.body;
      checkTransition(context.status, status, 'status call');
      return sendContext(reply, await writeContext(db, context, { status }));
    },

    addSource: (request, reply) => addOne('source', request, reply, request.body),
    updateSource: (request, reply) =>
      updateOne('source', request.params.sourceId, request, reply, request.body),
    removeSource: (request, reply) => removeOne('source', request.params.sourceId, request, reply),
    addTarget: (request, reply) => addOne('target', request, reply, request.body),
    updateTarget: (request, reply) =>
      updateOne('target', request.params.targetId, request, reply, request.body),
    removeTarget: (request, reply) => removeOne('target', request.params.targetId, request, reply),

    startRun: async (request, reply) => {
      const context = await liveContextToWrite(request);
      checkTransition(context.status, 'exporting', 'run');
      const { targetIds, action } = request.body ?? {};
      const run = await startRun(db, context, { targetIds, action });
      reply.header('location', `/contexts/${context.id}/runs/${run.id}`);
      return sendRun(reply, run, 201);
    },

    listRuns: async (request) => {
      const context = await findContext(db, actingUser(request), request.params.contextId);
      const { limit, cursor } = withDefaults(request.query, 'limit');
      const { rows, nextCursor } = await listRuns(db, context.id, {
        limit,
        after: decodeCursor(cursor),
      });
      const runs = (await toRuns(db, rows)).map((shown) => shown.run);
      return { runs, ...(nextCursor ? { nextCursor } : {}) };
    },

    getRun: async (request, reply) => sendRun(reply, await findRun(db, runAddress(request))),

    endRun: async (request, reply) => {
      return sendRun(reply, await endRun(db, runAddress(request), request.body ?? {}));
    },

    updateRunTarget: async (request) =>
      updateRunTarget(db, runAddress(request), request.params.targetId, request.body),

    addRunFiles: async (request) => {
      return { files: await addRunFiles(db, runAddress(request), request.body.files) };
    },

    listRunFiles: async (request) => {
      const { cursor, ...filters } = withDefaults(request.query, 'limit');
      return listRunFiles(db, runAddress(request), { ...filters, after: decodeCursor(cursor) });
    },

    updateRunFile: async (request) =>
      updateRunFile(db, runAddress(request), request.params.fileId, request.body),
  };
}
