import type { FastifyRequest } from 'fastify';
import { interfaceContract } from '@rds/contracts';
import type { operations } from '@rds/contracts/generated/file-storage';
import { withDefaults, type Handlers, type SettingsSchema } from '@rds/kit';
import type { FileStorage } from './file-storage.ts';
import { storagePath } from './paths.ts';
import { portService, type Open, type PortDefinition, type PortService } from './port.ts';
import { contentRange, parseRange } from './ranges.ts';

/**
 * A storage port: the service serving the `fileStorage` contract with the port's
 * {@link FileStorage}. The port writes methods; this writes the HTTP side.
 */
export function fileStoragePort<Schema extends SettingsSchema>(
  port: PortDefinition<Schema, FileStorage>,
): PortService<Schema, operations> {
  // Its types named: inferred, Schema would be compared through SettingsOf, too deep to follow.
  return portService<Schema, FileStorage, operations>(
    port,
    interfaceContract('file-storage'),
    fileStorageHandlers,
    true,
  );
}

/** Read before the user's token, so that a bad path is refused as such, whoever asks. */
const pathOf = (request: FastifyRequest<{ Querystring: { path: string } }>) =>
  storagePath(request.query.path);

function fileStorageHandlers(open: Open<FileStorage>): Handlers<operations> {
  return {
    listFolder: async (request) => {
      const path = pathOf(request);
      const { limit, cursor } = withDefaults(request.query, 'limit');
      const page = await (
        await open()
      ).list(path, { limit, ...(cursor === undefined ? {} : { cursor }) });
      return { path, ...page };
    },

    createFolder: async (request, reply) => {
      const path = pathOf(request);
      return reply.code(201).send(await (await open()).makeFolder(path));
    },

    statEntry: async (request) => {
      const path = pathOf(request);
      return (await open()).stat(path);
    },

    deleteEntry: async (request, reply) => {
      const path = pathOf(request);
      await (await open()).delete(path);
      return reply.code(204).send();
    },

    downloadFile: async (request, reply) => {
      const path = pathOf(request);
      const header = request.headers.range;
      const range =
        header === undefined ? undefined : { within: (size: number) => parseRange(header, size) };
      const file = await (await open()).read(path, range);
      reply.header('accept-ranges', 'bytes').type('application/octet-stream');
      if (file.length !== undefined) reply.header('content-length', file.length);
      if (!file.part) return reply.code(200).send(file.body);
      return reply
        .header('content-range', contentRange(file.part.range, file.part.size))
        .code(206)
        .send(file.body);
    },

    uploadFile: async (request, reply) => {
      const path = pathOf(request);
      const length = Number(request.headers['content-length']);
      // The file's bytes are not parsed: the request itself is their stream.
      const entry = await (await open()).write(path, request.raw, length);
      return reply.code(201).send(entry);
    },
  };
}
