import { createReadStream } from 'node:fs';
import type { Stats } from 'node:fs';
import { lstat, mkdir, readdir, rename, rm, stat, unlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { pipeline } from 'node:stream/promises';
import type { Readable } from 'node:stream';
import {
  baseName,
  joinPath,
  meter,
  newFileStream,
  pageOf,
  parentOf,
  storageProblems,
  type Entry,
  type FileContent,
  type FileStorage,
  type FolderPage,
  type WantedRange,
} from '@rds/ports';
import type { FolderJail } from './jail.ts';
import { asFolderProblems, folderProblems } from './problems.ts';
import { NAME_MAX } from './user-folders.ts';

function entryOf(path: string, stats: Stats): Entry {
  return {
    name: baseName(path),
    path,
    type: stats.isDirectory() ? 'folder' : 'file',
    ...(stats.isDirectory() ? {} : { size: stats.size }),
    modified: stats.mtime.toISOString(),
  };
}

/** One user's files: their own folder (`jailOf`), which nothing reached through it may leave. */
export class FolderFiles implements FileStorage {
  private jail: Promise<FolderJail> | undefined;

  constructor(private readonly jailOf: () => Promise<FolderJail>) {}

  async list(
    path: string,
    { limit, cursor }: { limit: number; cursor?: string },
  ): Promise<FolderPage> {
    return pageOf(await this.entries(path), limit, cursor);
  }

  stat(path: string): Promise<Entry> {
    return this.in(path, async (jail) => entryOf(path, await stat(await jail.existing(path))));
  }

  read(path: string, wanted: WantedRange | undefined): Promise<FileContent> {
    return this.in(path, async (jail) => {
      const file = await jail.existing(path);
      const stats = await stat(file);
      if (stats.isDirectory()) throw storageProblems.notAFile(path);
      const range = wanted?.within(stats.size);
      if (!range) return { body: createReadStream(file), length: stats.size };
      return {
        body: createReadStream(file, { start: range.start, end: range.end }),
        length: range.end - range.start + 1,
        part: { range, size: stats.size },
      };
    });
  }

  write(path: string, body: Readable, length: number): Promise<Entry> {
    return this.in(path, async (jail) => {
      const target = await jail.creatable(path, baseName(path));
      // Written beside the target and renamed into place: readers see the old file or the whole
      // new one. Named without the target's name, which may be as long as a name can be.
      const partial = join(dirname(target), `.${randomUUID()}.partial`);
      // Held to its length, so that a cut-off upload is noticed before it replaces anything.
      const metered = meter(body, { expectedLength: length });
      try {
        await pipeline(metered, newFileStream(partial)).catch((error: unknown) => {
          if (!metered.senderFailed.aborted) throw error;
          throw storageProblems.sizeMismatch(path, length, metered.bytes);
        });
        const existing = await stat(target).catch(() => undefined);
        if (existing?.isDirectory()) throw storageProblems.notAFile(path);
        await rename(partial, target);
      } finally {
        await rm(partial, { force: true });
      }
      return entryOf(path, await stat(target));
    });
  }

  makeFolder(path: string): Promise<Entry> {
    return this.in(path, async (jail) => {
      // The nearest folder that exists must lie inside the root; the rest is made below it.
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
      return entryOf(path, await stat(join(real, ...missing)));
    });
  }

  delete(path: string): Promise<void> {
    return this.in(path, async (jail) => {
      if (path === '/') throw storageProblems.outsideRoot(path);
      // It must lead somewhere inside the root; a link then goes, never what it points to.
      await jail.existing(path);
      const entry = await jail.entry(path);
      if ((await lstat(entry)).isSymbolicLink()) await unlink(entry);
      else await rm(entry, { recursive: true });
    });
  }

  /** The folder's entries, unsorted; links that lead nowhere or out of the root left out. */
  private entries(path: string): Promise<Entry[]> {
    return this.in(path, async (jail) => {
      const folder = await jail.existing(path);
      if (!(await stat(folder)).isDirectory()) throw storageProblems.notAFolder(path);
      const entries: Entry[] = [];
      for (const dirent of await readdir(folder, { withFileTypes: true })) {
        const stats = await stat(join(folder, dirent.name)).catch(() => undefined);
        const inside =
          !dirent.isSymbolicLink() ||
          (await jail.existing(joinPath(path, dirent.name)).then(
            () => true,
            () => false,
          ));
        if (stats && inside) entries.push(entryOf(joinPath(path, dirent.name), stats));
      }
      return entries;
    });
  }

  /**
   * Runs `operation` in the user's folder, once every name in `path` fits a name of the file
   * system; what the tree does to it (links that loop, paths too long) are problems of `path`.
   */
  private async in<T>(path: string, operation: (jail: FolderJail) => Promise<T>): Promise<T> {
    if (path.split('/').some((name) => Buffer.byteLength(name) > NAME_MAX))
      throw folderProblems.nameTooLong(path, NAME_MAX);
    return asFolderProblems(path, async () => operation(await (this.jail ??= this.jailOf())));
  }
}
