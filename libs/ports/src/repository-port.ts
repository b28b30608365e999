import { interfaceContract } from '@rds/contracts';
import type { operations } from '@rds/contracts/generated/repository';
import type { Handlers, SettingsSchema } from '@rds/kit';
import { portService, type Open, type PortDefinition, type PortService } from './port.ts';
import type { Repository } from './repository.ts';

/**
 * A repository port: the service serving the `repository` contract with the port's
 * {@link Repository}. The port writes methods; this writes the HTTP side. The user's token is
 * read at the first call to the repository: what it can take, and what it would refuse of some
 * metadata, is told to a user not connected yet.
 */
export function repositoryPort<Schema extends SettingsSchema>(
  port: PortDefinition<Schema, Repository>,
): PortService<Schema, operations> {
  // Its types named: inferred, Schema would be compared through SettingsOf, too deep to follow.
  return portService<Schema, Repository, operations>(
    port,
    interfaceContract('repository'),
    repositoryHandlers,
    false,
  );
}

function repositoryHandlers(open: Open<Repository>): Handlers<operations> {
  return {
    getCapabilities: async () => (await open()).capabilities(),

    checkMetadata: async (request) => {
      const errors = await (await open()).checkMetadata(request.body);
      return { valid: errors.length === 0, errors };
    },

    createDraft: async (request, reply) =>
      reply.code(201).send(await (await open()).createDraft(request.body)),

    getRecord: async (request) => (await open()).readRecord(request.params.recordId),

    updateMetadata: async (request) =>
      (await open()).updateMetadata(request.params.recordId, request.body),

    discardDraft: async (request, reply) => {
      await (await open()).discardDraft(request.params.recordId);
      return reply.code(204).send();
    },

    listFiles: async (request) => ({
      files: await (await open()).listFiles(request.params.recordId),
    }),

    uploadFile: async (request, reply) => {
      const size = Number(request.headers['content-length']);
      // The file's bytes are not parsed: the request itself is their stream.
      const file = await (
        await open()
      ).putFile(request.params.recordId, request.query.key, request.raw, size);
      return reply.code(201).send(file);
    },

    deleteFile: async (request, reply) => {
      await (await open()).deleteFile(request.params.recordId, request.query.key);
      return reply.code(204).send();
    },

    publishRecord: async (request) => (await open()).publish(request.params.recordId),

    newVersion: async (request, reply) =>
      reply.code(201).send(await (await open()).newVersion(request.params.recordId)),
  };
}
