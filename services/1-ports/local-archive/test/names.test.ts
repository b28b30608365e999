import { describe, expect, test } from 'vitest';
import { fileKey, folderName } from '../src/names.ts';

describe('folderName', () => {
  test('plain names stay as they are', () => {
    expect(folderName('ada')).toBe('ada');
    expect(folderName('ada.lovelace@uni-x_1')).toBe('ada.lovelace@uni-x_1');
  });

  test.each(['.', '..', '.hidden', 'a/b', '../../etc', 'a\\b', 'ä', '%41', 'a b', '~x'])(
    '%j becomes one safe name',
    (name) => {
      const folder = folderName(name);
      expect(folder).toMatch(/^[A-Za-z0-9_@%~-][A-Za-z0-9._@%-]*$/);
      expect(folder).not.toMatch(/^\./);
    },
  );

  test('distinct names stay distinct', () => {
    const names = ['A', '%41', 'a', '.a', '%2Ea', 'ä', 'a%C3%A4', 'x'.repeat(300), 'x'.repeat(301)];
    expect(new Set(names.map(folderName)).size).toBe(names.length);
  });

  test('names too long for a file system are hashed', () => {
    expect(folderName('x'.repeat(300))).toMatch(/^~[0-9a-f]{64}$/);
  });
});

describe('fileKey', () => {
  test.each(['a.txt', 'a/b/c.txt', 'run 1/Ünïcödé ✓ #1?.csv', '..hidden', 'a..b/c', "it's"])(
    '%j is a key',
    (key) => {
      expect(fileKey(key)).toBe(key);
    },
  );
});
