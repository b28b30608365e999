import { createHash } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { actingUser, currentContext } from '@rds/kit';
import { FolderJail } from './jail.ts';

/** The most bytes one name may have on Linux file systems (NAME_MAX). */
export const NAME_MAX = 255;

/**
 * A tenant or user id as one folder name, never trusted as a path: percent-encoded, dots too, so
 * `/`, `.`, `..` and NUL are mere text and two ids never share a folder. An id too long for a
 * name (or not valid Unicode) becomes its SHA-256, marked by a `#` that no encoded id contains.
 */
export function folderName(id: string): string {
  // A lone surrogate (\p{Cs} in Unicode mode) has no UTF-8, so no percent-encoding.
  const encoded = /\p{Cs}/u.test(id) ? '' : encodeURIComponent(id).replace(/\./g, '%2E');
  if (encoded !== '' && Buffer.byteLength(encoded) <= NAME_MAX) return encoded;
  // UTF-16 code units, which keep lone surrogates apart (UTF-8 would make each U+FFFD).
  return `#sha256-${createHash('sha256').update(Buffer.from(id, 'utf16le')).digest('hex')}`;
}

/** Where a user's files are: `<root>/<tenant>/<user>`. */
export function userFolder(root: string, tenant: string, user: string): string {
  return join(root, folderName(tenant), folderName(user));
}

/** The folder of the user the current call acts for (its service token's `sub`), made on first use. */
export async function callersJail(root: string): Promise<FolderJail> {
  const call = currentContext();
  if (!call) throw new Error('local-folder was called outside a request: no user to act for');
  const { tenant, user } = actingUser({ rds: call });
  const folder = userFolder(root, tenant, user);
  await mkdir(folder, { recursive: true });
  return FolderJail.open(folder);
}
