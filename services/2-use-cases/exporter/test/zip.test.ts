import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { expect, test } from 'vitest';
import yauzl from 'yauzl';
import { zipSize, zipStream, type ZipMember } from '../src/zip.ts';

const contents: Record<string, Buffer> = {
  '/d/raw/a.csv': Buffer.from('x,y\n1,2\n'),
  '/d/raw/deep/b.bin': Buffer.alloc(300_000, 7),
  '/d/raw/empty.txt': Buffer.alloc(0),
  '/d/raw/Grüße #1.txt': Buffer.from('unicode'),
};
const members: ZipMember[] = Object.entries(contents).map(([path, bytes]) => ({
  path,
  size: bytes.length,
  name: path.slice('/d/'.length),
}));

async function collect(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function entriesOf(zip: Buffer): Promise<Map<string, string>> {
  return new Promise((resolve, reject) => {
    const found = new Map<string, string>();
    yauzl.fromBuffer(zip, { lazyEntries: true }, (error, archive) => {
      if (error) return reject(error);
      archive.on('entry', (entry: yauzl.Entry) =>
        archive.openReadStream(entry, (openError, stream) => {
          if (openError) return reject(openError);
          const hash = createHash('sha256');
          stream.on('data', (chunk: Buffer) => hash.update(chunk));
          stream.on('end', () => {
            found.set(entry.fileName, hash.digest('hex'));
            archive.readEntry();
          });
        }),
      );
      archive.on('end', () => resolve(found));
      archive.readEntry();
    });
  });
}

test('the zip holds every member under its name, and is exactly the size computed beforehand', async () => {
  const opened: string[] = [];
  const zip = await collect(
    zipStream(members, async (member) => {
      opened.push(member.path);
      return Readable.from([contents[member.path]!]);
    }),
  );
  expect(zip.length).toBe(await zipSize(members));
  expect(opened).toEqual(Object.keys(contents));
  const entries = await entriesOf(zip);
  for (const member of members) {
    const expected = createHash('sha256').update(contents[member.path]!).digest('hex');
    expect(entries.get(member.name), member.name).toBe(expected);
  }
});

test('a member that cannot be read fails the zip stream, and members after it are not opened', async () => {
  const opened: string[] = [];
  const stream = zipStream(members, async (member) => {
    opened.push(member.path);
    if (member.path.endsWith('b.bin')) throw new Error('the source lost b.bin');
    return Readable.from([contents[member.path]!]);
  });
  await expect(text(stream)).rejects.toThrow('the source lost b.bin');
  expect(opened).toEqual(['/d/raw/a.csv', '/d/raw/deep/b.bin']);
});
