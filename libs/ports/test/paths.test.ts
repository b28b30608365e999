import { describe, expect, test } from 'vitest';
import {
  baseName,
  contentRange,
  joinPath,
  parentOf,
  parseRange,
  storagePath,
} from '../src/index.ts';

describe('storage paths', () => {
  test.each([
    ['/', '/'],
    ['/a', '/a'],
    ['/a/b/', '/a/b'],
    ['/run 1/ü#%?.csv', '/run 1/ü#%?.csv'],
    ['/..data/x..y', '/..data/x..y'],
  ])('%s is %s', (raw, normal) => expect(storagePath(raw)).toBe(normal));

  test.each(['a/b', '/a/../b', '/..', '/a/./b', '/a//b', '/a\0b', ''])(
    '%j is refused with 400 storage.badPath',
    (raw) => {
      expect(() => storagePath(raw)).toThrow(
        expect.objectContaining({
          statusCode: 400,
          init: expect.objectContaining({ messageKey: 'storage.badPath' }),
        }),
      );
    },
  );

  test('names, parents and joins', () => {
    expect(baseName('/a/b c')).toBe('b c');
    expect(baseName('/')).toBe('');
    expect(parentOf('/a/b')).toBe('/a');
    expect(parentOf('/a')).toBe('/');
    expect(joinPath('/', 'x')).toBe('/x');
    expect(joinPath('/a', 'x')).toBe('/a/x');
  });
});

describe('byte ranges', () => {
  test.each([
    [undefined, undefined],
    ['bytes=0-99', { start: 0, end: 99 }],
    ['bytes=100-', { start: 100, end: 999 }],
    ['bytes=-10', { start: 990, end: 999 }],
    ['bytes=900-5000', { start: 900, end: 999 }],
    ['bytes=-5000', { start: 0, end: 999 }],
    ['items=0-5', undefined],
  ])('%s of 1000 bytes', (header, range) => expect(parseRange(header, 1000)).toEqual(range));

  test.each(['bytes=1000-', 'bytes=5-4', 'bytes=-0'])(
    '%s of 1000 bytes is 416 with the size',
    (header) => {
      expect(() => parseRange(header, 1000)).toThrow(
        expect.objectContaining({
          statusCode: 416,
          init: expect.objectContaining({ headers: { 'content-range': 'bytes */1000' } }),
        }),
      );
    },
  );

  test('content-range', () =>
    expect(contentRange({ start: 0, end: 9 }, 100)).toBe('bytes 0-9/100'));
});
