import type { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import type { HttpClient } from '@rds/kit';
import type { components } from '@rds/contracts/generated/repository';
import { asPortError, errorOf, PortError } from './port-calls.ts';
import { zipStream, type ZipMember } from './zip.ts';

type RecordFile = components['schemas']['RecordFile'];

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
 * upload's body, so memory stays bounded whatever the size. The target port hashes what it
 * receives and compares that with what the repository stored (the repository contract); its
 * answer must confirm the whole file with a checksum. Hashing the same bytes here as well
 * would cost a third of the exporter's CPU and prove nothing more (bench/transfer).
 */
export async function transferOnce(file: FileTransfer): Promise<Transferred> {
  const { source, target, algorithm, signal } = file;
  const { body, length } = await contentOf(file);
  let upload;
  try {
    upload = await target.client.request({
      method: 'PUT',
      path: `/records/${encodeURIComponent(target.recordId)}/file`,
      query: { key: target.key },
      body,
      headers: { 'content-type': 'application/octet-stream', 'content-length': String(length) },
      signal,
    });
  } catch (error) {
    const broken = body.errored;
    body.destroy();
    // A download that broke off cut the upload short: the source is the one to blame.
    if (broken) throw new PortError(`The download from ${source.port} broke off.`, true);
    throw asPortError(target.port, error);
  }
  if (upload.status !== 201) {
    body.destroy();
    throw await errorOf(target.port, upload);
  }
  const stored = (await upload.body.json()) as RecordFile;
  if (stored.size !== undefined && stored.size !== length) {
    throw new PortError(`${target.port} stored ${stored.size} of ${length} bytes.`, true);
  }
  if (!stored.checksum?.startsWith(`${algorithm}:`)) {
    throw new PortError(
      `${target.port} did not confirm the file with its ${algorithm} checksum.`,
      false,
    );
  }
  return { bytes: length, checksum: stored.checksum };
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
