import { createReadStream } from 'node:fs';
import type { Stats } from 'node:fs';
import { lstat, mkdir, readdir, rename, rm, stat, unlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { pipeline } from 'node:stream/promises';
import { Transform, type Readable } from 'node:stream';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Handler } from '@rds/kit';
import type { components } from '@rds/contracts/generated/file-storage';
import {
  baseName,
  contentRange,
  joinPath,
  newFileStream,
  parentOf,
  parseRange,
  storagePath,
  storageProblems,
} from '@rds/ports';
import type { FolderJail } from './jail.ts';
import { folderProblems, withFolderProblems } from './problems.ts';
import { NAME_MAX } from './user-folders.ts';

type Entry = components['schemas']['Entry'];

function pathOf(request: FastifyRequest): string {
  const path = storagePath((request.query as { path: string }).path);
  if (path.split('/').some((name) => Buffer.byteLength(name) > NAME_MAX))
    throw folderProblems.nameTooLong(path, NAME_MAX);
  return path;
}

function entryOf(path: string, stats: Stats): Entry {
  return {
    name: baseName(path),
    path,
    type: stats.isDirectory() ? 'folder' : 'file',
    ...(stats.isDirectory() ? {} : { size: stats.size }),
    modified: stats.mtime.toISOString(),
  };
}

/** Counts the bytes that pass, so that a cut-off upload is noticed before it replaces anything. */
function counter(): Transform & { bytes: number } {
  const transform = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      transform.bytes += chunk.length;
      done(null, chunk);
    },
  }) as Transform & { bytes: number };
  transform.bytes = 0;
  return transform;
}

/** The operations on the folder of the user each call acts for (`jailOf`). */
export function fileHandlers(
  jailOf: (request: FastifyRequest) => Promise<FolderJail>,
): Record<string, Handler> {
  const handlers = operations(jailOf);
  return Object.fromEntries(
    Object.entries(handlers).map(([id, handler]) => [id, withFolderProblems(handler, pathOf)]),
  );
}

function operations(
  jailOf: (request: FastifyRequest) => Promise<FolderJail>,
): Record<string, Handler> {
  return {
    listFolder: async (request) => {
      const path = pathOf(request);
      const jail = await jailOf(request);
      const { limit, cursor } = request.query as { limit: number; cursor?: string };
      const folder = await jail.existing(path);
      if (!(await stat(folder)).isDirectory()) throw storageProblems.notAFolder(path);
      const dirents = await readdir(folder, { withFileTypes: true });
      const entries: Entry[] = [];
      for (const dirent of dirents) {
        const stats = await stat(join(folder, dirent.name)).catch(() => undefined);
        // Dangling links and links out of the root are not part of the storage.
        if (
          stats &&
          (!dirent.isSymbolicLink() ||
            (await jail.existing(joinPath(path, dirent.name)).then(
              () => true,
              () => false,
            )))
        ) {
          entries.push(entryOf(joinPath(path, dirent.name), stats));
        }
      }
      entries.sort((a, b) =>
        a.type === b.type ? (a.name < b.name ? -1 : 1) : a.type === 'folder' ? -1 : 1,
      );
      const offset = cursor ? Number(Buffer.from(cursor, 'base64url').toString()) || 0 : 0;
      const page = entries.slice(offset, offset + limit);
      const next =
        offset + limit < entries.length
          ? Buffer.from(String(offset + limit)).toString('base64url')
          : undefined;
      return { path, entries: page, ...(next ? { nextCursor: next } : {}) };
    },

    createFolder: async (request, reply) => {
      const path = pathOf(request);
      const jail = await jailOf(request);
      // Find the nearest folder that exists; it must lie inside the root, and the rest is made below it.
      const missing: string[] = [];
      let ancestor = path;
      let real: string | undefined;
      while (real === undefined) {
        real = await jail.existing(ancestor).catch((error: unknown) => {
          if ((error as { init?: { messageKey?: string } }).init?.messageKey !== 'storage.notFound')
            throw error;
          return undefined;
        });
        if (real === undefined) {
          missing.unshift(baseName(ancestor));
          ancestor = parentOf(ancestor);
        }
      }
      if (!(await stat(real)).isDirectory()) throw storageProblems.notAFolder(ancestor);
      // What does not resolve but is there is a link that leads nowhere (or to itself).
      if (missing.length > 0 && (await lstat(join(real, missing[0]!)).catch(() => undefined)))
        throw folderProblems.linkLeadsNowhere(joinPath(ancestor, missing[0]!));
      await mkdir(join(real, ...missing), { recursive: true });
      return reply.code(201).send(entryOf(path, await stat(join(real, ...missing))));
    },

    statEntry: async (request) => {
      const path = pathOf(request);
      const jail = await jailOf(request);
      return entryOf(path, await stat(await jail.existing(path)));
    },

    deleteEntry: async (request, reply: FastifyReply) => {
      const path = pathOf(request);
      const jail = await jailOf(request);
      if (path === '/') throw storageProblems.outsideRoot(path);
      // It must lead somewhere inside the root; a link then goes, never what it points to.
      await jail.existing(path);
      const entry = await jail.entry(path);
      if ((await lstat(entry)).isSymbolicLink()) await unlink(entry);
      else await rm(entry, { recursive: true });
      return reply.code(204).send();
    },

    downloadFile: async (request, reply) => {
      const path = pathOf(request);
      const jail = await jailOf(request);
      const file = await jail.existing(path);
      const stats = await stat(file);
      if (stats.isDirectory()) throw storageProblems.notAFile(path);
      const range = parseRange(request.headers.range, stats.size);
      reply.header('accept-ranges', 'bytes').type('application/octet-stream');
      if (!range) return reply.header('content-length', stats.size).send(createReadStream(file));
      return reply
        .code(206)
        .header('content-range', contentRange(range, stats.size))
        .header('content-length', range.end - range.start + 1)
        .send(createReadStream(file, { start: range.start, end: range.end }));
    },

    uploadFile: async (request, reply) => {
      const path = pathOf(request);
      const jail = await jailOf(request);
      const expected = Number(request.headers['content-length']);
      const target = await jail.creatable(path, baseName(path));
      // Written beside the target and renamed into place: readers see the old file or the whole new
      // one. Named without the target's name, which may be as long as a name can be.
      const partial = join(dirname(target), `.${randomUUID()}.partial`);
      const counted = counter();
      try {
        await pipeline(request.body as Readable, counted, newFileStream(partial));
        if (counted.bytes !== expected)
          throw storageProblems.sizeMismatch(path, expected, counted.bytes);
        const existing = await stat(target).catch(() => undefined);
        if (existing?.isDirectory()) throw storageProblems.notAFile(path);
        await rename(partial, target);
      } finally {
        await rm(partial, { force: true });
      }
      return reply.code(201).send(entryOf(path, await stat(target)));
    },
  };
}
