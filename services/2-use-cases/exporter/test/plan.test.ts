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

test('files in folders need a folder handling on a target without folders', () => {
  const plan = planTarget(files(['a/b.csv', 'c.csv']), ZENODO, zenodo());
  expect(plan).toEqual({ refused: expect.stringMatching(/zenodo has no folders.*encode-paths/) });
});

test('encode-paths names each file after its path, and refuses collisions', () => {
  expect(planTarget(files(['a/b.csv', 'c.csv']), ZENODO, zenodo('encode-paths'))).toMatchObject({
    files: [{ key: 'a__b.csv' }, { key: 'c.csv' }],
  });
  expect(planTarget(files(['a/b.csv', 'a__b.csv']), ZENODO, zenodo('encode-paths'))).toEqual({
    refused: expect.stringMatching(/one name.*a__b\.csv/),
  });
});

test('more files than the target takes, or larger ones, are refused before anything is created', () => {
  const many = files(Array.from({ length: 101 }, (_, i) => `f${i}.csv`));
  expect(planTarget(many, ZENODO, zenodo())).toEqual({
    refused: expect.stringMatching(/101 files are too many for zenodo.*at most 100/),
  });
  const big = planTarget(files(['huge.bin']), { ...ZENODO, maxFileSize: 5 }, zenodo());
  expect(big).toEqual({ refused: expect.stringMatching(/huge\.bin is larger than/) });
  expect(planTarget([], ZENODO, zenodo())).toEqual({ refused: expect.stringMatching(/no files/) });
});
