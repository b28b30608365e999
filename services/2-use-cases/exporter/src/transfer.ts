import { createHash, type Hash } from 'node:crypto';
import { pipeline, Transform, type TransformCallback } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import type { HttpClient } from '@rds/kit';
import type { components } from '@rds/contracts/generated/repository';
import { asPortError, errorOf, PortError } from './port-calls.ts';

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
  source: { port: string; client: HttpClient; path: string };
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

/**
 * Streams one file from its source into the target's record: the download's body is the
 * upload's body, so memory stays bounded whatever the size. The checksum computed on the way
 * must be the one the target reports.
 */
export async function transferOnce({
  source,
  target,
  size,
  algorithm,
  signal,
}: FileTransfer): Promise<Transferred> {
  let download;
  try {
    download = await source.client.request({
      path: '/file',
      query: { path: source.path },
      signal,
    });
  } catch (error) {
    throw asPortError(source.port, error);
  }
  if (download.status !== 200) throw await errorOf(source.port, download);
  const length = Number(download.headers['content-length'] ?? size);
  const digesting = new Digesting(algorithm);
  // The upload fails when the download breaks: the digesting stream is destroyed with it.
  pipeline(download.body, digesting, () => {});
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
