import { createHash, randomUUID } from 'node:crypto';
import { meter, newFileStream } from '@rds/ports';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/** The bag has a manifest per algorithm; the interface reports the first. */
export const ALGORITHMS = ['sha256', 'md5'] as const;

export interface Digests {
  size: number;
  sha256: string;
  md5: string;
}

export function digestsOf(bytes: Buffer): Digests {
  return {
    size: bytes.length,
    sha256: createHash('sha256').update(bytes).digest('hex'),
    md5: createHash('md5').update(bytes).digest('hex'),
  };
}

export interface Received extends Digests {
  /** A new file in the folder it was received into; the caller moves it or removes it. */
  path: string;
}

/**
 * Streams `content` into a new file in `folder`, taking its digests on the way, so that no file
 * is ever held in memory or read twice. Whatever fails, no file is left behind.
 */
export async function receive(content: Readable, folder: string): Promise<Received> {
  const path = join(folder, randomUUID());
  const metered = meter(content, { hashes: ALGORITHMS });
  try {
    await pipeline(metered, newFileStream(path));
  } catch (error) {
    await rm(path, { force: true });
    throw error;
  }
  return {
    path,
    size: metered.bytes,
    sha256: metered.digest('sha256'),
    md5: metered.digest('md5'),
  };
}
