import { randomUUID } from 'node:crypto';
import { copyFile, link, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** Readers see the old content or the whole new one, never a part. */
export async function writeFileAtomically(path: string, content: string): Promise<void> {
  const partial = join(dirname(path), `.${basename(path)}.${randomUUID()}.partial`);
  try {
    await writeFile(partial, content, { flag: 'wx' });
    await rename(partial, path);
  } finally {
    await rm(partial, { force: true });
  }
}

/**
 * Puts the content of `from` at `to` without copying where the file system allows: files in the
 * archive are never changed in place (a new upload is a new file), so sharing them is safe. A
 * `to` that exists already holds the same content (files are named by their checksum).
 */
export async function linkOrCopy(from: string, to: string): Promise<void> {
  try {
    await link(from, to);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return;
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EXDEV' && code !== 'EMLINK')
      throw error;
    await copyFile(from, to);
  }
}
