/**
 * BagIt bags (RFC 8493): payload under `data/`, a manifest per algorithm, `bagit.txt`,
 * `bag-info.txt` and tag manifests, written as a folder or a zip, and always whole: built in the
 * staging folder and renamed into place.
 */
import { randomUUID } from 'node:crypto';
import { newFileStream } from '@rds/ports';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import yauzl from 'yauzl';
import yazl from 'yazl';
import { ALGORITHMS, digestsOf, type Digests } from './digests.ts';
import { linkOrCopy } from './files.ts';

export interface BagFile extends Digests {
  /** Relative to the bag, `/`-separated. */
  path: string;
  /** A file on disk, or bytes made here (tag files, the RO-Crate metadata). */
  content: { file: string } | { bytes: Buffer };
}

export function madeFile(path: string, bytes: Buffer): BagFile {
  return { path, content: { bytes }, ...digestsOf(bytes) };
}

/** RFC 8493 section 2.1.3: in manifests, only CR, LF and % are percent-encoded in paths. */
const manifestPath = (path: string) =>
  path.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');

function manifest(files: BagFile[], algorithm: (typeof ALGORITHMS)[number]): Buffer {
  return Buffer.from(files.map((f) => `${f[algorithm]} ${manifestPath(f.path)}\n`).join(''));
}

/** A value continues on indented lines where it has line breaks (section 2.2.2). */
const infoLine = ([label, value]: [string, string]) =>
  `${label}: ${value.trim().replace(/\r\n|\r|\n/g, '\n  ')}\n`;

/** Every file of a bag holding `payload` (paths relative to `data/`), with `info` in bag-info.txt. */
export function bagFiles(payload: BagFile[], info: [string, string][]): BagFile[] {
  const data = payload
    .map((f) => ({ ...f, path: `data/${f.path}` }))
    .sort((a, b) => (a.path < b.path ? -1 : 1));
  const octets = data.reduce((sum, f) => sum + f.size, 0);
  const tags = [
    madeFile('bagit.txt', Buffer.from('BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n')),
    madeFile(
      'bag-info.txt',
      Buffer.from(
        [...info, ['Payload-Oxum', `${octets}.${data.length}`] as [string, string]]
          .map(infoLine)
          .join(''),
      ),
    ),
    ...ALGORITHMS.map((a) => madeFile(`manifest-${a}.txt`, manifest(data, a))),
  ];
  return [
    ...data,
    ...tags,
    ...ALGORITHMS.map((a) => madeFile(`tagmanifest-${a}.txt`, manifest(tags, a))),
  ];
}

/**
 * Writes a bag at `target`: a folder, or a zip when the name ends in `.zip` (holding one folder
 * named like the zip, as section 4 asks of a serialised bag). The caller makes sure nothing
 * published is at `target`: what may be there is the rest of a publish that never finished.
 */
export async function writeBag(files: BagFile[], target: string, staging: string): Promise<void> {
  const zipped = target.endsWith('.zip');
  const built = join(staging, `${randomUUID()}${zipped ? '.zip' : ''}`);
  try {
    if (zipped) await writeZip(files, built, basename(target, '.zip'));
    else await writeFolder(files, built);
    await mkdir(dirname(target), { recursive: true });
    await rm(target, { recursive: true, force: true });
    await rename(built, target);
  } finally {
    await rm(built, { recursive: true, force: true });
  }
}

async function writeFolder(files: BagFile[], folder: string): Promise<void> {
  for (const file of files) {
    const path = join(folder, ...file.path.split('/'));
    await mkdir(dirname(path), { recursive: true });
    if ('file' in file.content) await linkOrCopy(file.content.file, path);
    else await writeFile(path, file.content.bytes, { flag: 'wx' });
  }
}

/** The zip is streamed to disk as it is made; yazl reads each file when its turn comes. */
async function writeZip(files: BagFile[], path: string, folder: string): Promise<void> {
  const zip = new yazl.ZipFile();
  const failed = new Promise<never>((_resolve, reject) => zip.on('error', reject));
  for (const file of files) {
    const name = `${folder}/${file.path}`;
    if ('file' in file.content) zip.addFile(file.content.file, name);
    else zip.addBuffer(file.content.bytes, name);
  }
  zip.end();
  await Promise.race([pipeline(zip.outputStream, newFileStream(path)), failed]);
}

export interface ZippedFile {
  /** The file's path under `data/`. */
  key: string;
  open: () => Promise<Readable>;
}

/** The payload files of a zipped bag written by {@link writeBag}, one at a time. */
export async function* zippedPayload(path: string): AsyncGenerator<ZippedFile> {
  const zip = await yauzl.openPromise(path);
  const prefix = `${basename(path, '.zip')}/data/`;
  for await (const entry of zip.eachEntry()) {
    if (!entry.fileName.startsWith(prefix) || entry.fileName.endsWith('/')) continue;
    yield {
      key: entry.fileName.slice(prefix.length),
      open: () => zip.openReadStreamPromise(entry),
    };
  }
}
