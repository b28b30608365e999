import { expect, test } from 'vitest';
import { planTarget, type Capabilities, type SourceFile } from '../src/plan.ts';

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
