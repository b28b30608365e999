import type { FastifyReply, FastifyRequest } from 'fastify';
import {
  actingUser,
  handBack as handBackAnswer,
  ifMatchOf,
  type ContractClient,
  type Relayed,
  type SomeHandlers,
} from '@rds/kit';
import type { operations } from '@rds/contracts/generated/research';
import type { operations as ResearchManagerOperations } from '@rds/contracts/generated/research-manager';
import { canonicalMetadata } from '@rds/metadata-model';

type ResearchManager = ContractClient<ResearchManagerOperations>;

/**
 * The operations research-manager keeps for the user. research offers each at the same path with
 * the same parameters, so a call is handed on as it came (its metadata made canonical) and the
 * answer handed back as it went.
 */
export type ContextOperation =
  | 'createContext'
  | 'listContexts'
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

/** As the call came: the user it acts for (403 without one) and the tag a write is based on. */
function asCame(request: FastifyRequest): { headers?: Record<string, string> } {
  actingUser(request);
  return ifMatchOf(request);
}

/** As the call came, to the same context (and source, target or run) of research-manager's. */
function at<Params>(request: FastifyRequest<{ Params: Params }>) {
  return { ...asCame(request), params: request.params };
}

/** Hands research-manager's answer back; research's paths are its paths, so `Location` holds. */
const handBack = (reply: FastifyReply, answer: Relayed<unknown>) =>
  handBackAnswer(reply, answer, ['location']);

export function contextHandlers(rm: ResearchManager): SomeHandlers<operations, ContextOperation> {
  return {
    createContext: async (request, reply) =>
      handBack(reply, await rm.call('createContext', { ...asCame(request), json: request.body })),
    listContexts: async (request, reply) =>
      handBack(reply, await rm.call('listContexts', { ...asCame(request), query: request.query })),
    getContext: async (request, reply) => handBack(reply, await rm.call('getContext', at(request))),
    updateContext: async (request, reply) => {
      // Metadata is kept with its identifiers canonical (an ORCID pasted as its URL is kept
      // bare); what cannot be made canonical is kept as typed, and the metadata checks name it
      // at its field.
      const { metadata } = request.body;
      const json = metadata
        ? { ...request.body, metadata: canonicalMetadata(metadata).metadata }
        : request.body;
      return handBack(reply, await rm.call('updateContext', { ...at(request), json }));
    },
    deleteContext: async (request, reply) =>
      handBack(reply, await rm.call('deleteContext', at(request))),
    restoreContext: async (request, reply) =>
      handBack(reply, await rm.call('restoreContext', at(request))),
    changeStatus: async (request, reply) =>
      handBack(reply, await rm.call('changeStatus', { ...at(request), json: request.body })),
    addSource: async (request, reply) =>
      handBack(reply, await rm.call('addSource', { ...at(request), json: request.body })),
    updateSource: async (request, reply) =>
      handBack(reply, await rm.call('updateSource', { ...at(request), json: request.body })),
    removeSource: async (request, reply) =>
      handBack(reply, await rm.call('removeSource', at(request))),
    addTarget: async (request, reply) =>
      handBack(reply, await rm.call('addTarget', { ...at(request), json: request.body })),
    updateTarget: async (request, reply) =>
      handBack(reply, await rm.call('updateTarget', { ...at(request), json: request.body })),
    removeTarget: async (request, reply) =>
      handBack(reply, await rm.call('removeTarget', at(request))),
    listRuns: async (request, reply) =>
      handBack(reply, await rm.call('listRuns', { ...at(request), query: request.query })),
    getRun: async (request, reply) => handBack(reply, await rm.call('getRun', at(request))),
    listRunFiles: async (request, reply) =>
      handBack(reply, await rm.call('listRunFiles', { ...at(request), query: request.query })),
  };
}
