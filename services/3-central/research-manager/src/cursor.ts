import { invalidCursor } from './problems.ts';

// A cursor carries the ordering key of the last item of a page. It is opaque to clients, so the
// key can change without breaking them; it only narrows the caller's own list, so it needs no
// signature.
const PREFIX = 'after:';
// Below 2^63, so that the key always fits the bigint it is compared with.
const KEY = /^\d{1,18}$/;

function encodeCursor(key: string): string {
  return Buffer.from(`${PREFIX}${key}`).toString('base64url');
}

/** The key a cursor carries; null for the first page. */
export function decodeCursor(cursor: string | undefined): string | null {
  if (cursor === undefined) return null;
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const key = text.startsWith(PREFIX) ? text.slice(PREFIX.length) : '';
  if (!KEY.test(key)) throw invalidCursor();
  return key;
}

/** One page of `rows`, fetched with one row more than the limit to learn whether more follow. */
export function page<T extends { seq: string }>(
  rows: T[],
  limit: number,
): { rows: T[]; nextCursor?: string } {
  if (rows.length <= limit) return { rows };
  const shown = rows.slice(0, limit);
  return { rows: shown, nextCursor: encodeCursor(shown[shown.length - 1]!.seq) };
}
