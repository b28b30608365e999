import type { Readable } from 'node:stream';
import { interfaceContract } from '@rds/contracts';
import type { Handler, ServiceDefinition } from '@rds/kit';
import { portService, type Open, type PortDefinition } from './port.ts';
import type { Repository, ResearchMetadata } from './repository.ts';

/**
 * A repository port: the service serving the `repository` contract with the port's
 * {@link Repository}. The port writes methods; this writes the HTTP side. The user's token is
 * read at the first call to the repository: what it can take, and what it would refuse of some
 * metadata, is told to a user not connected yet.
 */
export function repositoryPort<S>(port: PortDefinition<S, Repository>): ServiceDefinition<S> {
  return portService(port, interfaceContract('repository'), repositoryHandlers, false);
}

type Request = Parameters<Handler>[0];
const idOf = (request: Request) => (request.params as { recordId: string }).recordId;
const keyOf = (request: Request) => (request.query as { key: string }).key;
const metadataOf = (request: Request) => request.body as ResearchMetadata;

function repositoryHandlers(open: Open<Repository>): Record<string, Handler> {
  return {
    getCapabilities: async () => (await open()).capabilities(),

    checkMetadata: async (request) => {
      const errors = await (await open()).checkMetadata(metadataOf(request));
      return { valid: errors.length === 0, errors };
    },

    createDraft: async (request, reply) =>
      reply.code(201).send(await (await open()).createDraft(metadataOf(request))),

    getRecord: async (request) => (await open()).readRecord(idOf(request)),

    updateMetadata: async (request) =>
      (await open()).updateMetadata(idOf(request), metadataOf(request)),

    discardDraft: async (request, reply) => {
      await (await open()).discardDraft(idOf(request));
      return reply.code(204).send();
    },

    listFiles: async (request) => ({ files: await (await open()).listFiles(idOf(request)) }),

    uploadFile: async (request, reply) => {
      const size = Number(request.headers['content-length']);
      const file = await (
        await open()
      ).putFile(idOf(request), keyOf(request), request.body as Readable, size);
      return reply.code(201).send(file);
    },

    deleteFile: async (request, reply) => {
      await (await open()).deleteFile(idOf(request), keyOf(request));
      return reply.code(204).send();
    },

    publishRecord: async (request) => (await open()).publish(idOf(request)),

    newVersion: async (request, reply) =>
      reply.code(201).send(await (await open()).newVersion(idOf(request))),
  };
}
