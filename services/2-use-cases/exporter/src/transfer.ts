import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { retry, type RetryPolicy } from '@rds/kit';
import type { components } from '@rds/contracts/generated/repository';
import {
  asPortError,
  errorOf,
  PortError,
  type RepositoryPort,
  type StoragePort,
} from './port-calls.ts';
import { zipStream, type ZipMember } from './zip.ts';

type RecordFile = components['schemas']['RecordFile'];

export interface FileTransfer {
  /** A file of the source, or (with `members`) a folder of it sent as one zip. */
  source: { port: string; client: StoragePort; path: string; members?: ZipMember[] | undefined };
  target: { port: string; client: RepositoryPort; recordId: string; key: string };
  size: number;
  algorithm: 'md5' | 'sha256';
  signal: AbortSignal;
  /** Counts the bytes read from the source in the current attempt, for progress. */
  meter?: Meter;
}

/** The bytes read so far of one file. */
export interface Meter {
  bytes: number;
}

/** What can be read of a file: its source, and how to count it. */
export type FileRead = Pick<FileTransfer, 'source' | 'size' | 'signal' | 'meter'>;

export interface Transferred {
  bytes: number;
  /** As `algorithm:hex`, computed on the way and confirmed by the target. */
  checksum: string;
}

/** A file's bytes from the source port, as they arrive. */
async function download(
  { port, client }: FileTransfer['source'],
  path: string,
  signal: AbortSignal,
): Promise<{ body: Readable; length?: number }> {
  let answer;
  try {
    answer = await client.stream('downloadFile', { query: { path }, signal });
  } catch (error) {
    throw asPortError(port, error);
  }
  if (answer.status !== 200) throw await errorOf(port, answer);
  const length = answer.headers['content-length'];
  return { body: answer.body, ...(length === undefined ? {} : { length: Number(length) }) };
}

/**
 * Counts what flows through `body` into `meter`. Paused first, so that the counting listener
 * does not start the flow before the reader (undici's upload, which resumes it) is there; a
 * listener costs no copy, unlike a counting stream in between.
 */
function metered(body: Readable, meter: Meter | undefined): Readable {
  if (!meter) return body;
  meter.bytes = 0;
  body.pause();
  body.on('data', (chunk: Buffer) => (meter.bytes += chunk.length));
  return body;
}

/** What is read: the file, or the zip of the folder's files built as it is read. */
async function contentOf({ source, size, signal, meter }: FileRead) {
  if (!source.members) {
    const { body, length } = await download(source, source.path, signal);
    return { body: metered(body, meter), length: length ?? size };
  }
  const body = zipStream(source.members, async (member) => {
    const { body: memberBody } = await download(source, member.path, signal);
    return memberBody;
  });
  return { body: metered(body, meter), length: size };
}

/**
 * The checksum of a file's content, computed while reading it from the source and sent nowhere:
 * proof that a file the target holds already is the same, where the source keeps no checksum.
 */
export async function checksumOnce(
  file: FileRead,
  algorithm: FileTransfer['algorithm'],
): Promise<string> {
  const { body } = await contentOf(file);
  const hash = createHash(algorithm);
  try {
    for await (const chunk of body) hash.update(chunk as Buffer);
  } catch (error) {
    if ((error as Error).name === 'AbortError') throw error;
    throw new PortError(file.source.port, `The download from ${file.source.port} broke off.`);
  }
  return `${algorithm}:${hash.digest('hex')}`;
}

/**
 * Streams one file from its source into the target's record: the download's body is the
 * upload's body, so memory stays bounded whatever the size. The target port hashes what it
 * receives and compares that with what the repository stored (the repository contract); its
 * answer must confirm the whole file with a checksum. Hashing the same bytes here as well
 * would cost a third of the exporter's CPU and prove nothing more (bench/transfer).
 */
export async function transferOnce(file: FileTransfer): Promise<Transferred> {
  const { source, target, algorithm, signal } = file;
  const repository = target.client;
  const { body, length } = await contentOf(file);
  let upload;
  try {
    upload = await repository.stream('uploadFile', {
      params: { recordId: target.recordId },
      query: { key: target.key },
      body,
      headers: { 'content-type': 'application/octet-stream', 'content-length': String(length) },
      signal,
    });
  } catch (error) {
    const broken = body.errored;
    body.destroy();
    // A download that broke off cut the upload short: the source is the one to blame.
    if (broken) throw new PortError(source.port, `The download from ${source.port} broke off.`);
    throw asPortError(target.port, error);
  }
  if (upload.status !== 201) {
    body.destroy();
    throw await errorOf(target.port, upload);
  }
  const stored = (await upload.body.json()) as RecordFile;
  if (stored.size !== undefined && stored.size !== length) {
    throw new PortError(target.port, `${target.port} stored ${stored.size} of ${length} bytes.`);
  }
  if (!stored.checksum?.startsWith(`${algorithm}:`)) {
    throw new PortError(
      target.port,
      `${target.port} did not confirm the file with its ${algorithm} checksum.`,
      { transient: false },
    );
  }
  return { bytes: length, checksum: stored.checksum };
}

/**
 * A streamed upload cannot be replayed by the HTTP client, so a file whose transfer failed
 * transiently is transferred again from the start, a bounded number of times.
 */
export function transfer(file: FileTransfer, policy: RetryPolicy): Promise<Transferred> {
  return retried(() => transferOnce(file), policy, file.signal);
}

/** {@link checksumOnce}, read again from the start after a transient failure. */
export function checksum(
  file: FileRead,
  algorithm: FileTransfer['algorithm'],
  policy: RetryPolicy,
): Promise<string> {
  return retried(() => checksumOnce(file, algorithm), policy, file.signal);
}

/**
 * Runs `once` again after transient failures, with backoff, a bounded number of times. A
 * refusal (a 4xx of a port: the repository's own reason) is never tried again.
 */
function retried<T>(once: () => Promise<T>, policy: RetryPolicy, signal: AbortSignal): Promise<T> {
  return retry(once, policy, {
    signal,
    isTransient: (error) => error instanceof PortError && error.transient,
  });
}
