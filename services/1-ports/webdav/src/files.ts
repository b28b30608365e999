import type { Readable } from 'node:stream';
import type { FastifyRequest } from 'fastify';
import type { Handler, HttpClient } from '@rds/kit';
import { contentRange, storagePath, storageProblems, type UserTokens } from '@rds/ports';
import { IncomingBody } from './body.ts';
import { DavSession } from './session.ts';
import type { UserIds } from './user-ids.ts';
import { UserFiles, type Entry, type ServerLayout, type UploadOptions } from './user-files.ts';

export interface Server {
  http: HttpClient;
  tokens: UserTokens;
  userIds: UserIds;
  layout: ServerLayout;
  upload: UploadOptions;
}

const pathOf = (request: FastifyRequest) => storagePath((request.query as { path: string }).path);

/** Folders first, then by name: the order of every listing. */
function order(a: Pick<Entry, 'type' | 'name'>, b: Pick<Entry, 'type' | 'name'>): number {
  if (a.type !== b.type) return a.type === 'folder' ? -1 : 1;
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

/** A cursor names the last entry given, so that entries added or removed meanwhile shift nothing. */
const cursorOf = ({ type, name }: Entry) =>
  Buffer.from(JSON.stringify([type, name])).toString('base64url');

function afterCursor(cursor: string | undefined): (entry: Entry) => boolean {
  if (!cursor) return () => true;
  let last: Pick<Entry, 'type' | 'name'>;
  try {
    const [type, name] = JSON.parse(Buffer.from(cursor, 'base64url').toString()) as [
      Entry['type'],
      string,
    ];
    last = { type, name };
  } catch {
    return () => true;
  }
  return (entry) => order(entry, last) > 0;
}

export function fileHandlers(server: Server): Record<string, Handler> {
  const open = async () => {
    const session = await DavSession.open(server.http, server.tokens);
    return new UserFiles(session, server.layout, await server.userIds.of(session));
  };

  return {
    listFolder: async (request) => {
      const path = pathOf(request);
      const { limit, cursor } = request.query as { limit: number; cursor?: string };
      const entries = (await (await open()).list(path)).sort(order).filter(afterCursor(cursor));
      const page = entries.slice(0, limit);
      const last = page.at(-1);
      return {
        path,
        entries: page,
        ...(entries.length > limit && last ? { nextCursor: cursorOf(last) } : {}),
      };
    },

    createFolder: async (request, reply) => {
      const path = pathOf(request);
      return reply.code(201).send(await (await open()).makeFolder(path));
    },

    statEntry: async (request) => (await open()).stat(pathOf(request)),

    deleteEntry: async (request, reply) => {
      await (await open()).remove(pathOf(request));
      return reply.code(204).send();
    },

    downloadFile: async (request, reply) => {
      const path = pathOf(request);
      const file = await (await open()).download(path, request.headers.range);
      reply.header('accept-ranges', 'bytes').type('application/octet-stream');
      if (file.contentLength !== undefined) reply.header('content-length', file.contentLength);
      if (!file.part) return reply.send(file.body);
      return reply
        .code(206)
        .header('content-range', contentRange(file.part.range, file.part.size))
        .send(file.body);
    },

    uploadFile: async (request, reply) => {
      const path = pathOf(request);
      const length = Number(request.headers['content-length']);
      const body = new IncomingBody(request.body as Readable);
      const entry = await (
        await open()
      )
        .upload(path, body, length, server.upload)
        .catch(async (error: unknown) => {
          await body.discardRest();
          throw body.cutShort ? storageProblems.sizeMismatch(path, length, body.received) : error;
        });
      return reply.code(201).send(entry);
    },
  };
}
