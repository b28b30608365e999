import { createHash, type Hash } from 'node:crypto';
import { pipeline, Transform, type Readable, type TransformCallback } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import type { HttpClient } from '@rds/kit';
import type { components } from '@rds/contracts/generated/repository';
import { asPortError, errorOf, PortError } from './port-calls.ts';
import { zipStream, type ZipMember } from './zip.ts';

type RecordFile = components['schemas']['RecordFile'];

/** Passes bytes through unchanged, hashing and counting them on the way. */
class Digesting extends Transform {
  readonly hash: Hash;
  bytes = 0;

  constructor(algorithm: 'md5' | 'sha256') {
    super();
    this.hash = createHash(algorithm);
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.hash.update(chunk);
    this.bytes += chunk.length;
    done(null, chunk);
  }
}

export interface FileTransfer {
  /** A file of the source, or (with `members`) a folder of it sent as one zip. */
  source: { port: string; client: HttpClient; path: string; members?: ZipMember[] | undefined };
  target: { port: string; client: HttpClient; recordId: string; key: string };
  size: number;
  algorithm: 'md5' | 'sha256';
  signal: AbortSignal;
}

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
    answer = await client.request({ path: '/file', query: { path }, signal });
  } catch (error) {
    throw asPortError(port, error);
  }
  if (answer.status !== 200) throw await errorOf(port, answer);
  const length = answer.headers['content-length'];
  return { body: answer.body, ...(length === undefined ? {} : { length: Number(length) }) };
}

/** What is uploaded: the file, or the zip of the folder's files built as it is read. */
async function contentOf({ source, size, signal }: FileTransfer) {
  if (!source.members) {
    const { body, length } = await download(source, source.path, signal);
    return { body, length: length ?? size };
  }
  const body = zipStream(source.members, async (member) => {
    const { body: memberBody } = await download(source, member.path, signal);
    return memberBody;
  });
  return { body, length: size };
}

/**
 * Streams one file from its source into the target's record: the download's body is the
 * upload's body, so memory stays bounded whatever the size. The checksum computed on the way
 * must be the one the target reports.
 */
export async function transferOnce(file: FileTransfer): Promise<Transferred> {
  const { source, target, algorithm, signal } = file;
  const { body, length } = await contentOf(file);
  const digesting = new Digesting(algorithm);
  // The upload fails when the download breaks: the digesting stream is destroyed with it.
  pipeline(body, digesting, () => {});
  let upload;
  try {
    upload = await target.client.request({
      method: 'PUT',
      path: `/records/${encodeURIComponent(target.recordId)}/file`,
      query: { key: target.key },
      body: digesting,
      headers: { 'content-type': 'application/octet-stream', 'content-length': String(length) },
      signal,
    });
  } catch (error) {
    digesting.destroy();
    throw asPortError(target.port, error);
  }
  if (upload.status !== 201) {
    digesting.destroy();
    throw await errorOf(target.port, upload);
  }
  const stored = (await upload.body.json()) as RecordFile;
  const checksum = `${algorithm}:${digesting.hash.digest('hex')}`;
  if (digesting.bytes !== length) {
    throw new PortError(`${source.port} sent ${digesting.bytes} of ${length} bytes.`, true);
  }
  if (stored.checksum && stored.checksum !== checksum) {
    throw new PortError(
      `${target.port} stored different bytes (${stored.checksum}) than were sent (${checksum}).`,
      true,
    );
  }
  return { bytes: digesting.bytes, checksum };
}

export interface RetryPolicy {
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

/**
 * A streamed upload cannot be replayed by the HTTP client, so a file whose transfer failed
 * transiently is transferred again from the start, a bounded number of times.
 */
export async function transfer(file: FileTransfer, retry: RetryPolicy): Promise<Transferred> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await transferOnce(file);
    } catch (error) {
      if (!(error instanceof PortError) || !error.transient || attempt >= retry.attempts) {
        throw error;
      }
      const backoff = Math.random() * retry.baseDelayMs * 2 ** (attempt - 1);
      const wait = Math.min(error.retryAfterMs ?? backoff, retry.maxDelayMs);
      await sleep(wait, undefined, { signal: file.signal });
    }
  }
}
