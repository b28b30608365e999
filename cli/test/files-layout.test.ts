/** An embedded default from before per-user folders: its files move to the local user's folder. */
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { keepFolderPerUser } from '../src/files-layout.ts';

let dataDir: string;
let root: string;
let local: string;
beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'rds-layout-'));
  root = join(dataDir, 'files');
  local = join(root, 'default', 'local');
});
afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

function write(path: string, text: string) {
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, text);
}

test("the earlier layout's files, a folder named like the tenant too, move whole into the local user's folder", () => {
  write(join(root, 'ocean-temperatures', 'readings.csv'), 'day,temp\n1,14.2\n');
  write(join(root, 'default', 'notes.txt'), 'a folder the user named default');
  write(join(root, 'top.txt'), 'top');

  expect(keepFolderPerUser(root, local)).toBe(true);
  expect(readFileSync(join(local, 'ocean-temperatures', 'readings.csv'), 'utf8')).toBe(
    'day,temp\n1,14.2\n',
  );
  expect(readFileSync(join(local, 'default', 'notes.txt'), 'utf8')).toBe(
    'a folder the user named default',
  );
  expect(readFileSync(join(local, 'top.txt'), 'utf8')).toBe('top');
  expect(readdirSync(root).sort()).toEqual(['.rds-layout', 'default']);
  // Once is enough: the next start moves nothing.
  expect(keepFolderPerUser(root, local)).toBe(false);
  expect(readdirSync(local).sort()).toEqual(['default', 'ocean-temperatures', 'top.txt']);
});

test('a move interrupted between its two renames is finished at the next start', () => {
  write(join(`${root}.moving`, 'data', 'a.csv'), 'a');
  expect(keepFolderPerUser(root, local)).toBe(true);
  expect(readFileSync(join(local, 'data', 'a.csv'), 'utf8')).toBe('a');
  expect(existsSync(`${root}.moving`)).toBe(false);
});

test('a folder per user stays as it is, even once the local user has deleted theirs', () => {
  write(join(local, 'mine.txt'), 'mine');
  write(join(root, 'default', 'ada', 'hers.txt'), 'hers');
  expect(keepFolderPerUser(root, local)).toBe(false);

  rmSync(local, { recursive: true });
  expect(keepFolderPerUser(root, local)).toBe(false);
  expect(readFileSync(join(root, 'default', 'ada', 'hers.txt'), 'utf8')).toBe('hers');
  expect(existsSync(local)).toBe(false);
});

test('a new data folder gets the mark and nothing else', () => {
  expect(keepFolderPerUser(root, local)).toBe(false);
  expect(readdirSync(root)).toEqual(['.rds-layout']);
});
