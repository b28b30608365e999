import type { Readable } from 'node:stream';
import { interfaceContract } from '@rds/contracts';
import type { Handler, ServiceDefinition } from '@rds/kit';
import type { FileStorage } from './file-storage.ts';
import { storagePath } from './paths.ts';
import { portService, type Open, type PortDefinition } from './port.ts';
import { contentRange, parseRange } from './ranges.ts';

/**
 * A storage port: the service serving the `fileStorage` contract with the port's
 * {@link FileStorage}. The port writes methods; this writes the HTTP side.
 */
export function fileStoragePort<S>(port: PortDefinition<S, FileStorage>): ServiceDefinition<S> {
  return portService(port, interfaceContract('file-storage'), fileStorageHandlers, true);
}

/** Read before the user's token, so that a bad path is refused as such, whoever asks. */
const pathOf = (request: Parameters<Handler>[0]) =>
  storagePath((request.query as { path: string }).path);

function fileStorageHandlers(open: Open<FileStorage>): Record<string, Handler> {
  return {
    listFolder: async (request) => {
      const path = pathOf(request);
      const { limit, cursor } = request.query as { limit: number; cursor?: string };
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
      if (!file.part) return reply.send(file.body);
      return reply
        .code(206)
        .header('content-range', contentRange(file.part.range, file.part.size))
        .send(file.body);
    },

    uploadFile: async (request, reply) => {
      const path = pathOf(request);
      const length = Number(request.headers['content-length']);
      const entry = await (await open()).write(path, request.body as Readable, length);
      return reply.code(201).send(entry);
    },
  };
}
