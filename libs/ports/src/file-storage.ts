import type { Readable } from 'node:stream';
import type { components } from '@rds/contracts/generated/file-storage';
import type { ByteRange } from './ranges.ts';

export type Entry = components['schemas']['Entry'];

/** One page of a folder's entries; `nextCursor` while more follow. */
export interface FolderPage {
  entries: Entry[];
  nextCursor?: string;
}

/**
 * The part of a file a reader asked for (a `Range` header). Only the port knows the file's
 * size, so it resolves the range against it: undefined means the whole file, and a range outside
 * the file throws the 416 problem.
 */
export interface WantedRange {
  within(size: number): ByteRange | undefined;
}

/** A file's content on its way to the reader. */
export interface FileContent {
  body: Readable;
  /** The bytes `body` will give, when known. */
  length?: number;
  /** Present when `body` is a part of the file: which part, and the size of the whole. */
  part?: { range: ByteRange; size: number };
}

/**
 * What a storage port writes: one user's files, in storage paths (absolute, `/`-separated,
 * normalised by `storagePath` before any method sees them). Failures are thrown as the
 * `storageProblems` they mean. `@rds/ports` serves the `fileStorage` contract for it
 * (contracts/interfaces/file-storage.yaml): parameters, ranges, lengths, streaming, status codes.
 */
export interface FileStorage {
  /** A page of the folder's entries, folders first, then by name. */
  list(path: string, page: { limit: number; cursor?: string }): Promise<FolderPage>;
  stat(path: string): Promise<Entry>;
  /** The file's bytes, or the part `range` names (undefined: no range asked for). */
  read(path: string, range: WantedRange | undefined): Promise<FileContent>;
  /** Writes the file whole from `body`, which promises `length` bytes; all or nothing. */
  write(path: string, body: Readable, length: number): Promise<Entry>;
  makeFolder(path: string): Promise<Entry>;
  /** Removes the file, or the folder with everything in it. */
  delete(path: string): Promise<void>;
}
