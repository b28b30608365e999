import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { ENCRYPTION_KEY_SETTING, KEY_ID, type Key, type Keys } from './keys.ts';

const VERSION = 'v1';
const ALGORITHM = 'aes-256-gcm';
const IV_BYTES = 12; // the size GCM is designed for; random, so never reused with one key
const TAG_BYTES = 16;
const BASE64URL = /^[A-Za-z0-9_-]*$/;

/** A sealed value that cannot be opened: malformed, unknown key, tampered, or wrong aad. */
export class DecryptionError extends Error {
  override name = 'DecryptionError';
}

interface Sealed {
  keyId: string;
  iv: Buffer;
  ciphertext: Buffer;
  tag: Buffer;
}

/** `v1.<keyId>.<iv>.<ciphertext>.<tag>`, the binary parts base64url. */
export function seal(key: Key, plaintext: string, aad?: string): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv(ALGORITHM, key.material, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(associatedData(key.id, aad));
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return [VERSION, key.id, iv, ciphertext, cipher.getAuthTag()]
    .map((part) => (typeof part === 'string' ? part : part.toString('base64url')))
    .join('.');
}

export function unseal(keys: Keys, sealed: string, aad?: string): string {
  const { keyId, iv, ciphertext, tag } = parse(sealed);
  const key = keys.byId.get(keyId);
  if (!key) {
    throw new DecryptionError(
      `The value was sealed with key "${keyId}", which ${ENCRYPTION_KEY_SETTING} does not hold` +
        ` (it holds ${[...keys.byId.keys()].join(', ')}).`,
    );
  }
  const decipher = createDecipheriv(ALGORITHM, key.material, iv, { authTagLength: TAG_BYTES });
  decipher.setAAD(associatedData(keyId, aad));
  decipher.setAuthTag(tag);
  try {
    return Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString('utf8');
  } catch {
    throw new DecryptionError(
      'The value does not decrypt: it was changed, or belongs with other associated data.',
    );
  }
}

/** The id of the key `sealed` was sealed with. */
export function keyIdOf(sealed: string): string {
  return parse(sealed).keyId;
}

// The version and key id are authenticated along with the caller's aad, so a value cannot be
// relabelled. The NUL keeps the caller's part from running into ours.
function associatedData(keyId: string, aad = ''): Buffer {
  return Buffer.from(`${VERSION}.${keyId}\0${aad}`, 'utf8');
}

function parse(sealed: string): Sealed {
  const parts = sealed.split('.');
  const [version, keyId, iv, ciphertext, tag] = parts;
  if (parts.length !== 5 || version !== VERSION || !KEY_ID.test(keyId ?? '')) {
    throw new DecryptionError(`Not a value sealed by RDS (expected ${VERSION}.<keyId>.…).`);
  }
  const decoded = [iv, ciphertext, tag].map((part) => decode(part ?? ''));
  const [ivBytes, ciphertextBytes, tagBytes] = decoded as [Buffer, Buffer, Buffer];
  if (ivBytes.length !== IV_BYTES || tagBytes.length !== TAG_BYTES) {
    throw new DecryptionError('The sealed value is damaged: its IV or tag has the wrong length.');
  }
  return { keyId: keyId!, iv: ivBytes, ciphertext: ciphertextBytes, tag: tagBytes };
}

function decode(part: string): Buffer {
  // Buffer.from skips characters outside the alphabet; a value with any is damaged.
  if (!BASE64URL.test(part)) throw new DecryptionError('The sealed value is damaged.');
  return Buffer.from(part, 'base64url');
}
