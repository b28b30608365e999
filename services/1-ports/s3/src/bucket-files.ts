import type { Readable } from 'node:stream';
import {
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type HeadObjectCommandOutput,
  type S3Client,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { ProblemError } from '@rds/kit';
import type { components } from '@rds/contracts/generated/file-storage';
import {
  baseName,
  joinPath,
  meter,
  parentOf,
  storageProblems,
  type FileContent,
  type FileStorage,
  type FolderPage,
  type WantedRange,
} from '@rds/ports';
import { isNotFound, SERVICENAME } from './errors.ts';
import type { KeySpace } from './keys.ts';
import { afterCursor, cursorAfter, keyOrder } from './order.ts';
import type { S3Session } from './session.ts';

export type Entry = components['schemas']['Entry'];

interface Batch {
  children: Map<string, Entry>;
  lastKey?: string;
  truncated: boolean;
}

const MiB = 1024 * 1024;
/** Files up to this size go up in one PUT; larger ones in parts of at least this size. */
const PART_SIZE = 8 * MiB;
const MAX_PARTS = 10_000;
/** Parts a multipart upload holds in memory at once, besides the one being read. */
const PARTS_IN_FLIGHT = 2;
/** The most keys S3 lists, or deletes, in one call. */
const BATCH = 1000;

/**
 * One user's files in the bucket, in storage paths. Folders are key prefixes: a folder exists
 * while any key lies under it, and a zero-byte marker object (`folder/`) keeps an empty one.
 * The port makes markers for the folders it creates, and for a folder it empties.
 */
export class BucketFiles implements FileStorage {
  private readonly session: S3Session;
  private readonly bucket: string;
  private readonly keys: KeySpace;

  constructor(session: S3Session, bucket: string, keys: KeySpace) {
    this.session = session;
    this.bucket = bucket;
    this.keys = keys;
  }

  /** A file wins over a folder of the same name: S3 allows both `a` and `a/…`. */
  async stat(path: string): Promise<Entry> {
    const file = path === '/' ? undefined : await this.head(path);
    if (file) return headEntry(path, file);
    const folder = await this.folder(path);
    if (!folder) throw storageProblems.notFound(path);
    return folder;
  }

  /** One page of the folder's entries in key order (see `order.ts`), after the name given. */
  async list(
    path: string,
    { limit, cursor }: { limit: number; cursor?: string },
  ): Promise<FolderPage> {
    const after = cursor === undefined ? undefined : afterCursor(cursor, this.isChildName);
    const prefix = this.keys.folderKey(path);
    const cursorKey = after === undefined ? undefined : prefix + after;
    const found = new Map<string, Entry>();
    let startAfter = cursorKey;
    let anything = false;
    // One more than asked tells whether another page follows; S3 may give fewer than asked for.
    while (found.size <= limit) {
      // One spare: the folder's own marker, or the folder the cursor names, comes again.
      const maxKeys = Math.min(BATCH, limit + 2 - found.size);
      const batch = await this.listBatch(path, prefix, maxKeys, startAfter);
      anything ||= batch.lastKey !== undefined;
      for (const [key, entry] of batch.children)
        if (cursorKey === undefined || keyOrder(key, cursorKey) > 0) found.set(key, entry);
      const { truncated, lastKey } = batch;
      // A server that does not move on would otherwise be asked forever.
      if (!truncated || !lastKey || (startAfter && keyOrder(lastKey, startAfter) <= 0)) break;
      startAfter = lastKey;
    }
    if (!anything && after === undefined && path !== '/') {
      throw (await this.head(path))
        ? storageProblems.notAFolder(path)
        : storageProblems.notFound(path);
    }
    const sorted = [...found].sort(([a], [b]) => keyOrder(a, b));
    const page = sorted.slice(0, limit);
    const lastKey = page.at(-1)?.[0];
    return {
      entries: page.map(([, entry]) => entry),
      ...(sorted.length > limit && lastKey
        ? { nextCursor: cursorAfter(lastKey.slice(prefix.length)) }
        : {}),
    };
  }

  /**
   * Makes the folder and every folder above it a marker, so that each outlives its contents; S3
   * would show the folders above without theirs, but not every S3-compatible server does.
   */
  async makeFolder(path: string): Promise<Entry> {
    if (path === '/') return folderEntry(path);
    const onTheWay = pathsDownTo(path);
    const files = await Promise.all(onTheWay.map((p) => this.head(p)));
    const blocking = onTheWay.find((_, i) => files[i]);
    if (blocking) throw storageProblems.notAFolder(blocking);
    await Promise.all(onTheWay.map((p) => this.putMarker(p)));
    return folderEntry(path);
  }

  /** Deletes a file, or every object under a folder; the folder above stays, even if empty now. */
  async delete(path: string): Promise<void> {
    if (path === '/') throw storageProblems.outsideRoot(path);
    if (await this.head(path)) {
      await this.call(
        (s3) =>
          s3.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: this.keys.fileKey(path) })),
        path,
      );
    } else if (!(await this.removeTree(path))) {
      throw storageProblems.notFound(path);
    }
    const parent = parentOf(path);
    if (parent !== '/' && !(await this.folder(parent))) await this.putMarker(parent);
  }

  async read(path: string, wanted: WantedRange | undefined): Promise<FileContent> {
    const file = await this.head(path);
    if (!file) {
      throw (await this.folder(path))
        ? storageProblems.notAFile(path)
        : storageProblems.notFound(path);
    }
    const size = file.ContentLength ?? 0;
    const range = wanted?.within(size);
    const object = await this.call(
      (s3) =>
        s3.send(
          new GetObjectCommand({
            Bucket: this.bucket,
            Key: this.keys.fileKey(path),
            Range: range && `bytes=${range.start}-${range.end}`,
          }),
        ),
      path,
    );
    return {
      body: object.Body as Readable,
      length: object.ContentLength,
      // A server may answer a range with the whole file (RFC 9110 section 14.2); then so do we.
      ...(range && object.ContentRange ? { part: { range, size } } : {}),
    };
  }

  /**
   * Writes the file from the incoming stream: one PUT for a small file, a multipart upload for a
   * large one, which holds only a few parts in memory. S3 makes either visible whole or not at all.
   */
  async write(path: string, incoming: Readable, length: number): Promise<Entry> {
    const parent = parentOf(path);
    const [above, here] = await Promise.all([this.folder(parent), this.folder(path)]);
    if (!above) throw storageProblems.parentMissing(path);
    if (here) throw storageProblems.notAFile(path);
    const body = meter(incoming, { expectedLength: length });
    const target = {
      Bucket: this.bucket,
      Key: this.keys.fileKey(path),
      Body: body,
      ContentType: 'application/octet-stream',
    };
    // A PUT stops when the sender does: S3 would otherwise wait for the promised bytes.
    const send = (s3: S3Client) =>
      length <= PART_SIZE
        ? s3.send(new PutObjectCommand({ ...target, ContentLength: length }), {
            abortSignal: body.senderFailed,
          })
        : new Upload({
            client: s3,
            params: target,
            partSize: Math.max(PART_SIZE, Math.ceil(length / MAX_PARTS)),
            queueSize: PARTS_IN_FLIGHT,
          }).done();
    await this.call(send, path, false).catch((error: unknown) => {
      body.discardRest();
      throw body.senderFailed.aborted
        ? storageProblems.sizeMismatch(path, length, body.bytes)
        : error;
    });
    return this.stat(path);
  }

  private readonly isChildName = (relative: string) =>
    this.keys.childOf('', relative) !== undefined;

  private call<T>(call: (s3: S3Client) => Promise<T>, path: string, replayable = true): Promise<T> {
    return this.session.send(call, path, replayable);
  }

  /** One ListObjectsV2 answer: the children it names, by key, and the last key it gave. */
  private async listBatch(
    path: string,
    prefix: string,
    maxKeys: number,
    startAfter: string | undefined,
  ): Promise<Batch> {
    const answer = await this.call(
      (s3) =>
        s3.send(
          new ListObjectsV2Command({
            Bucket: this.bucket,
            Prefix: prefix,
            Delimiter: '/',
            MaxKeys: maxKeys,
            StartAfter: startAfter,
          }),
        ),
      path,
    );
    const children = new Map<string, Entry>();
    const add = (key = '', entryAt: (path: string) => Entry) => {
      const child = this.keys.childOf(prefix, key);
      if (child) children.set(key, entryAt(joinPath(path, child.name)));
    };
    for (const object of answer.Contents ?? [])
      add(object.Key, (at) =>
        fileEntry(at, { size: object.Size, modified: object.LastModified, etag: object.ETag }),
      );
    for (const common of answer.CommonPrefixes ?? []) add(common.Prefix, folderEntry);
    const keys = [
      ...(answer.Contents ?? []).map((object) => object.Key),
      ...(answer.CommonPrefixes ?? []).map((common) => common.Prefix),
    ].filter((key): key is string => key !== undefined);
    return {
      children,
      lastKey: keys.sort(keyOrder).at(-1),
      truncated: answer.IsTruncated === true,
    };
  }

  private async head(path: string): Promise<HeadObjectCommandOutput | undefined> {
    try {
      return await this.call(
        (s3) =>
          s3.send(new HeadObjectCommand({ Bucket: this.bucket, Key: this.keys.fileKey(path) })),
        path,
      );
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  /** The folder's entry when any key lies under it; its marker, if first, tells when it was made. */
  private async folder(path: string): Promise<Entry | undefined> {
    if (path === '/') return folderEntry(path);
    const prefix = this.keys.folderKey(path);
    const listed = await this.call(
      (s3) =>
        s3.send(new ListObjectsV2Command({ Bucket: this.bucket, Prefix: prefix, MaxKeys: 1 })),
      path,
    );
    const first = listed.Contents?.[0];
    if (!first) return undefined;
    const made = first.Key === prefix ? first.LastModified : undefined;
    return { ...folderEntry(path), ...(made ? { modified: made.toISOString() } : {}) };
  }

  private async putMarker(path: string): Promise<void> {
    await this.call(
      (s3) =>
        s3.send(
          new PutObjectCommand({
            Bucket: this.bucket,
            Key: this.keys.folderKey(path),
            Body: '',
            // The SDK does not count an empty body, and warns on every PUT without a length.
            ContentLength: 0,
          }),
        ),
      path,
    );
  }

  /** Deletes every object under the folder, a batch at a time; false when there was none. */
  private async removeTree(path: string): Promise<boolean> {
    const prefix = this.keys.folderKey(path);
    let startAfter: string | undefined;
    for (;;) {
      const listed = await this.call(
        (s3) =>
          s3.send(
            new ListObjectsV2Command({
              Bucket: this.bucket,
              Prefix: prefix,
              MaxKeys: BATCH,
              StartAfter: startAfter,
            }),
          ),
        path,
      );
      const keys = (listed.Contents ?? []).map((object) => object.Key ?? '');
      if (keys.length === 0) return startAfter !== undefined;
      const answer = await this.call(
        (s3) =>
          s3.send(
            new DeleteObjectsCommand({
              Bucket: this.bucket,
              Delete: { Objects: keys.map((Key) => ({ Key })), Quiet: true },
            }),
          ),
        path,
      );
      if (answer.Errors?.some((error) => error.Code === 'AccessDenied'))
        throw storageProblems.credentialsRefused(SERVICENAME);
      if (answer.Errors?.length) throw incompleteDelete(path, answer.Errors.length);
      if (!listed.IsTruncated) return true;
      startAfter = keys.sort(keyOrder).at(-1);
    }
  }
}

interface ObjectFacts {
  size?: number;
  modified?: Date;
  etag?: string;
  checksum?: string;
}

function fileEntry(path: string, facts: ObjectFacts): Entry {
  return {
    name: baseName(path),
    path,
    type: 'file',
    size: facts.size ?? 0,
    ...(facts.modified ? { modified: facts.modified.toISOString() } : {}),
    ...(facts.etag ? { etag: facts.etag } : {}),
    ...(facts.checksum ? { checksum: facts.checksum } : {}),
  };
}

/** What HEAD tells about a file; only HEAD says how it is encrypted, so only it gives a checksum. */
function headEntry(path: string, head: HeadObjectCommandOutput): Entry {
  return fileEntry(path, {
    size: head.ContentLength,
    modified: head.LastModified,
    etag: head.ETag,
    checksum: md5Of(head),
  });
}

function folderEntry(path: string): Entry {
  return { name: baseName(path), path, type: 'folder' };
}

/**
 * The ETag is the MD5 of the content only for an object uploaded in one part and not encrypted
 * with a KMS or customer key; a multipart ETag (`…-3`) is a hash of the parts' hashes.
 */
export function md5Of(
  object: Partial<
    Pick<HeadObjectCommandOutput, 'ETag' | 'ServerSideEncryption' | 'SSECustomerAlgorithm'>
  >,
): string | undefined {
  const hex = /^"?([0-9a-f]{32})"?$/i.exec(object.ETag ?? '')?.[1];
  if (!hex || object.ServerSideEncryption?.startsWith('aws:kms') || object.SSECustomerAlgorithm)
    return undefined;
  return `md5:${hex.toLowerCase()}`;
}

/** `/a/b/c` → `/a`, `/a/b`, `/a/b/c`. */
function pathsDownTo(path: string): string[] {
  const segments = path.slice(1).split('/');
  return segments.map((_, i) => `/${segments.slice(0, i + 1).join('/')}`);
}

function incompleteDelete(path: string, failed: number): ProblemError {
  return new ProblemError(502, {
    detail: `${SERVICENAME} did not delete ${failed} of the objects under ${path}.`,
    messageKey: 'storage.incompleteDelete',
    args: { path, failed },
  });
}
