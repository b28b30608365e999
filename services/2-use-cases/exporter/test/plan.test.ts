import { expect, test } from 'vitest';
import { noteOf, planTarget, type Capabilities, type SourceFile } from '../src/plan.ts';

const ZENODO: Capabilities = {
  folders: false,
  maxFiles: 100,
  requiredMetadata: ['/title'],
  publicationModes: ['draft', 'publish', 'new-version'],
  checksum: 'md5',
};
const files = (keys: string[]): SourceFile[] =>
  keys.map((key) => ({ sourceId: 's', path: `/data/${key}`, size: 10, key }));
const zenodo = (folders?: 'encode-paths' | 'zip-folders') => ({
  port: 'zenodo',
  settings: { mode: 'publish' as const, ...(folders ? { folders } : {}) },
});

test('files in folders need a folder handling on a target without folders', async () => {
  const plan = await planTarget(files(['a/b.csv', 'c.csv']), ZENODO, zenodo());
  expect(plan).toEqual({ refused: expect.stringMatching(/zenodo has no folders.*encode-paths/) });
});

test('encode-paths names each file after its path, and refuses collisions', async () => {
  expect(
    await planTarget(files(['a/b.csv', 'c.csv']), ZENODO, zenodo('encode-paths')),
  ).toMatchObject({
    files: [{ key: 'a__b.csv' }, { key: 'c.csv' }],
  });
  expect(await planTarget(files(['a/b.csv', 'a__b.csv']), ZENODO, zenodo('encode-paths'))).toEqual({
    refused: expect.stringMatching(/one name.*a__b\.csv/),
  });
});

test('more files than the target takes, or larger ones, are refused before anything is created', async () => {
  const many = files(Array.from({ length: 101 }, (_, i) => `f${i}.csv`));
  expect(await planTarget(many, ZENODO, zenodo())).toEqual({
    refused: expect.stringMatching(/101 files are too many for zenodo.*at most 100/),
  });
  const big = await planTarget(files(['huge.bin']), { ...ZENODO, maxFileSize: 5 }, zenodo());
  expect(big).toEqual({ refused: expect.stringMatching(/huge\.bin is larger than/) });
  expect(await planTarget([], ZENODO, zenodo())).toEqual({
    refused: expect.stringMatching(/no files/),
  });
});

test('zip-folders sends each top-level folder as one zip of known size, loose files as they are', async () => {
  const many = files([
    ...Array.from({ length: 150 }, (_, i) => `raw/day${i % 3}/f${i}.csv`),
    'notes/readme.txt',
    'top.csv',
  ]);
  const plan = await planTarget(many, ZENODO, zenodo('zip-folders'));
  if (!('files' in plan)) throw new Error(plan.refused);
  expect(plan.files.map((f) => f.key)).toEqual(['top.csv', 'raw.zip', 'notes.zip']);
  const raw = plan.files[1]!;
  expect(raw.path).toBe('/data/raw');
  expect(raw.members).toHaveLength(150);
  expect(raw.members![0]).toEqual({
    path: '/data/raw/day0/f0.csv',
    size: 10,
    name: 'raw/day0/f0.csv',
  });
  // Stored entries: the contents plus headers of a fixed size per entry and name.
  expect(raw.size).toBeGreaterThan(150 * 10);
  expect(raw.size).toBeLessThan(150 * (10 + 200));
  expect(await planTarget(files(['raw/a.csv', 'raw.zip']), ZENODO, zenodo('zip-folders'))).toEqual({
    refused: expect.stringMatching(/one name.*raw\.zip/),
  });
});

const STRICT: Capabilities = { ...ZENODO, emptyFiles: false, maxKeyLength: 12, maxFiles: 3 };
const sized = (entries: [string, number][]): SourceFile[] =>
  entries.map(([key, size]) => ({ sourceId: 's', path: `/data/${key}`, size, key }));
const strict = (unfitFiles?: 'refuse' | 'skip') => ({
  port: 'zenodo',
  settings: { mode: 'publish' as const, ...(unfitFiles ? { unfitFiles } : {}) },
});

test('what the target would refuse (empty files, long names) is refused before anything is sent, saying why and what to do', async () => {
  const files = sized([
    ['a.csv', 10],
    ['empty.csv', 0],
    ['ein-sehr-langer-name.csv', 10],
  ]);
  const plan = await planTarget(files, STRICT, strict());
  expect(plan).toEqual({
    refused:
      '/data/empty.csv is empty, and zenodo takes no empty files. Leave it out, or set the target to skip the files it would refuse. ' +
      'The names of ein-sehr-langer-name.csv are longer than the 12 characters zenodo allows. Rename them, or set the target to skip the files it would refuse.',
  });
  // Code points, not UTF-16 units: 12 letters outside the BMP fit.
  const emoji = '🌊'.repeat(8) + '.csv';
  expect(await planTarget(sized([[emoji, 10]]), STRICT, strict())).toMatchObject({
    files: [{ key: emoji }],
  });
  // A target that says nothing of empty files takes them.
  expect(await planTarget(sized([['empty.csv', 0]]), ZENODO, zenodo())).toMatchObject({
    files: [{ key: 'empty.csv' }],
    skipped: [],
  });
});

test('set to skip, the plan leaves out what the target would refuse, beyond its file count too, and notes it', async () => {
  const files = sized([
    ['a.csv', 10],
    ['empty.csv', 0],
    ['b.csv', 10],
    ['ein-sehr-langer-name.csv', 10],
    ['c.csv', 10],
    ['d.csv', 10],
  ]);
  const plan = await planTarget(files, STRICT, strict('skip'));
  if (!('files' in plan)) throw new Error(plan.refused);
  expect(plan.files.map((f) => f.key)).toEqual(['a.csv', 'b.csv', 'c.csv']);
  expect(noteOf(plan.skipped, STRICT, 'zenodo')).toBe(
    'Left out 3 files zenodo would refuse: /data/empty.csv (empty), /data/ein-sehr-langer-name.csv (name longer than 12 characters), /data/d.csv (beyond the 3 files per record).',
  );
  // Skipping everything leaves nothing to export: refused, saying why.
  expect(await planTarget(sized([['empty.csv', 0]]), STRICT, strict('skip'))).toEqual({
    refused: expect.stringMatching(/^\/data\/empty\.csv is empty, and zenodo takes no empty files/),
  });
});
