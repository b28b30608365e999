import { ProblemError } from '@rds/kit';

/**
 * The order of every listing is S3's own: by key, byte by byte in UTF-8, a folder sorting as its
 * name followed by `/`. Folders and files are mixed (`a-1.txt`, `a/`, `a0.txt`): putting folders
 * first would mean reading the whole folder for every page, since S3 hands out keys only in
 * this order.
 */
export function keyOrder(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

/**
 * A cursor names the last entry given (its name, with `/` for a folder), so that the next page
 * starts after it: entries added or removed meanwhile shift nothing, and none is skipped or
 * repeated.
 */
export function cursorAfter(last: string): string {
  return Buffer.from(last).toString('base64url');
}

/** The name a cursor says to continue after; a cursor no listing gave is refused. */
export function afterCursor(cursor: string, isChild: (relativeKey: string) => boolean): string {
  const last = Buffer.from(cursor, 'base64url').toString();
  if (cursorAfter(last) !== cursor || !isChild(last)) {
    throw new ProblemError(400, {
      detail: 'The cursor is not one a listing gave.',
      messageKey: 'storage.badCursor',
    });
  }
  return last;
}
