import type { Readable } from 'node:stream';
import type { FastifyRequest } from 'fastify';
import type { Handler } from '@rds/kit';
import { storagePath, type UserTokens } from '@rds/ports';
import { BucketFiles } from './bucket-files.ts';
import type { S3Clients } from './clients.ts';
import type { KeySpace } from './keys.ts';
import { afterCursor, cursorAfter } from './order.ts';
import { S3Session } from './session.ts';

export interface Storage {
  clients: S3Clients;
  tokens: UserTokens;
  bucket: string;
  keys: KeySpace;
}

/** Read before the user's credentials, so that a bad path is refused as such, whoever asks. */
const pathOf = (request: FastifyRequest) => storagePath((request.query as { path: string }).path);

export function fileHandlers(storage: Storage): Record<string, Handler> {
  const open = async () =>
    new BucketFiles(
      await S3Session.open(storage.clients, storage.tokens),
      storage.bucket,
      storage.keys,
    );
  const isChildName = (relative: string) => storage.keys.childOf('', relative) !== undefined;

  return {
    listFolder: async (request) => {
      const path = pathOf(request);
      const { limit, cursor } = request.query as { limit: number; cursor?: string };
      const after = cursor === undefined ? undefined : afterCursor(cursor, isChildName);
      const page = await (await open()).list(path, limit, after);
      return {
        path,
        entries: page.entries,
        ...(page.continueAfter === undefined
          ? {}
          : { nextCursor: cursorAfter(page.continueAfter) }),
      };
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
      await (await open()).remove(path);
      return reply.code(204).send();
    },

    downloadFile: async (request, reply) => {
      const path = pathOf(request);
      const file = await (await open()).download(path, request.headers.range);
      reply.header('accept-ranges', 'bytes').type('application/octet-stream');
      if (file.length !== undefined) reply.header('content-length', file.length);
      if (file.contentRange) reply.code(206).header('content-range', file.contentRange);
      return reply.send(file.body);
    },

    uploadFile: async (request, reply) => {
      const path = pathOf(request);
      const length = Number(request.headers['content-length']);
      const entry = await (await open()).upload(path, request.body as Readable, length);
      return reply.code(201).send(entry);
    },
  };
}
