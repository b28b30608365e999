import type { FastifyRequest } from 'fastify';
import { handBack, ifMatchOf, type ContractClient, type SomeHandlers } from '@rds/kit';
import type { operations } from '@rds/contracts/generated/web';
import type { operations as ResearchOperations } from '@rds/contracts/generated/research';

type ContextOperation =
  | 'listFolder'
  | 'listContexts'
  | 'createContext'
  | 'getContext'
  | 'updateContext'
  | 'deleteContext'
  | 'restoreContext'
  | 'changeStatus'
  | 'addSource'
  | 'updateSource'
  | 'removeSource'
  | 'addTarget'
  | 'updateTarget'
  | 'removeTarget'
  | 'listRuns'
  | 'getRun'
  | 'listRunFiles';

/** A change to a context (or its source or target): there, and based on the version it names. */
function at<Params>(request: FastifyRequest<{ Params: Params }>) {
  return { params: request.params, ...ifMatchOf(request) };
}

/** The user's research contexts and the folders of their storage, as research offers them. */
export function contextHandlers(
  research: ContractClient<ResearchOperations>,
): SomeHandlers<operations, ContextOperation> {
  return {
    listFolder: async (request, reply) =>
      handBack(
        reply,
        await research.call('listStorageFolder', {
          params: request.params,
          query: request.query,
        }),
      ),
    listContexts: async (request, reply) =>
      handBack(reply, await research.call('listContexts', { query: request.query })),
    createContext: async (request, reply) =>
      handBack(reply, await research.call('createContext', { json: request.body })),
    getContext: async (request, reply) =>
      handBack(reply, await research.call('getContext', { params: request.params })),
    updateContext: async (request, reply) =>
      handBack(reply, await research.call('updateContext', { ...at(request), json: request.body })),
    deleteContext: async (request, reply) =>
      handBack(reply, await research.call('deleteContext', at(request))),
    restoreContext: async (request, reply) =>
      handBack(reply, await research.call('restoreContext', at(request))),
    changeStatus: async (request, reply) =>
      handBack(reply, await research.call('changeStatus', { ...at(request), json: request.body })),
    addSource: async (request, reply) =>
      handBack(reply, await research.call('addSource', { ...at(request), json: request.body })),
    updateSource: async (request, reply) =>
      handBack(reply, await research.call('updateSource', { ...at(request), json: request.body })),
    removeSource: async (request, reply) =>
      handBack(reply, await research.call('removeSource', at(request))),
    addTarget: async (request, reply) =>
      handBack(reply, await research.call('addTarget', { ...at(request), json: request.body })),
    updateTarget: async (request, reply) =>
      handBack(reply, await research.call('updateTarget', { ...at(request), json: request.body })),
    removeTarget: async (request, reply) =>
      handBack(reply, await research.call('removeTarget', at(request))),
    listRuns: async (request, reply) =>
      handBack(
        reply,
        await research.call('listRuns', { params: request.params, query: request.query }),
      ),
    getRun: async (request, reply) =>
      handBack(reply, await research.call('getRun', { params: request.params })),
    listRunFiles: async (request, reply) =>
      handBack(
        reply,
        await research.call('listRunFiles', { params: request.params, query: request.query }),
      ),
  };
}
