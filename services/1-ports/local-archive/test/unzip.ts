import { createWriteStream, mkdirSync, mkdtempSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import yauzl from 'yauzl';

/** Unpacks a zip into a new folder in `scratch`; returns the folder and the names of its entries. */
export async function unzip(
  path: string,
  scratch: string,
): Promise<{ folder: string; names: string[] }> {
  const folder = mkdtempSync(join(scratch, 'unzipped-'));
  const names: string[] = [];
  const zip = await yauzl.openPromise(path, { strictFileNames: true });
  for await (const entry of zip.eachEntry()) {
    names.push(entry.fileName);
    if (entry.fileName.endsWith('/')) continue;
    const target = join(folder, ...entry.fileName.split('/'));
    mkdirSync(dirname(target), { recursive: true });
    await pipeline(await zip.openReadStreamPromise(entry), createWriteStream(target));
  }
  return { folder, names };
}
