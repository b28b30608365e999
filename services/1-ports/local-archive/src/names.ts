import { createHash } from 'node:crypto';
import { problems } from './problems.ts';

/** The top-level key whose file becomes the bag's RO-Crate metadata (see `crate.ts`). */
export { DESCRIPTOR_ID as CRATE_KEY } from '@rds/ro-crate';

const MAX_NAME_BYTES = 255;

/**
 * A record's file key, a relative path whose `/`s make folders in the bag. Anything that could
 * lead out of the bag, or be read differently by another system, is refused, never "resolved":
 * backslashes because zip tools (yazl among them) take them for `/`.
 */
export function fileKey(key: string): string {
  if (key.includes('\0')) throw problems.badKey(key, 'it contains a NUL character');
  if (key.includes('\\')) throw problems.badKey(key, 'it contains a backslash');
  if (key.startsWith('/')) throw problems.badKey(key, 'it must be relative, not start with /');
  const names = key.split('/');
  if (names.includes('')) throw problems.badKey(key, 'it has an empty name (// or a / at the end)');
  if (names.some((name) => name === '.' || name === '..'))
    throw problems.badKey(key, 'it contains a "." or ".." segment');
  if (names.some((name) => Buffer.byteLength(name) > MAX_NAME_BYTES))
    throw problems.badKey(key, `a name in it is longer than ${MAX_NAME_BYTES} bytes`);
  return key;
}

const SAFE_BYTE = /^[A-Za-z0-9_@-]$/;

/**
 * A folder name for a tenant or user: every byte outside a small safe set is percent-encoded
 * (a leading dot too, so `..` and hidden names cannot arise), which keeps distinct names
 * distinct. Names too long for a file system are hashed; `~` marks those, as encoding never
 * yields it.
 */
export function folderName(name: string): string {
  const encoded = [...Buffer.from(name)]
    .map((byte, index) => {
      const char = String.fromCharCode(byte);
      return SAFE_BYTE.test(char) || (char === '.' && index > 0)
        ? char
        : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
    })
    .join('');
  return encoded.length <= 200 ? encoded : `~${createHash('sha256').update(name).digest('hex')}`;
}
