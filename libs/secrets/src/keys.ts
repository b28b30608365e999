import { createHash, randomBytes } from 'node:crypto';

/** The setting that holds the encryption keys. */
export const ENCRYPTION_KEY_SETTING = 'RDS_ENCRYPTION_KEY';

const KEY_BYTES = 32; // AES-256
// Ids travel inside sealed values, between dots: keep them short and free of separators.
export const KEY_ID = /^[A-Za-z0-9_-]{1,32}$/;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

export interface Key {
  id: string;
  material: Buffer;
}

/** Keys by id; the first one, the current key, seals new values. */
export interface Keys {
  current: Key;
  byId: ReadonlyMap<string, Key>;
}

/** A bad `RDS_ENCRYPTION_KEY`. The message names the setting and the entry, never a key. */
export class KeySettingError extends Error {
  override name = 'KeySettingError';
}

/** A fresh random key, base64, as `RDS_ENCRYPTION_KEY` takes it. */
export function generateKey(): string {
  return randomBytes(KEY_BYTES).toString('base64');
}

/** The id of a key given without one: stable, and reveals nothing useful about the key. */
export function derivedKeyId(material: Buffer): string {
  return createHash('sha256').update(material).digest('hex').slice(0, 8);
}

/**
 * Parses `RDS_ENCRYPTION_KEY`: one base64 key, or a comma-separated list of `id:base64key`
 * entries (an entry without `id:` gets a derived id). The first key is the current one; the
 * others only decrypt, so values sealed before a rotation stay readable until re-sealed.
 */
export function parseKeys(setting: string | undefined): Keys {
  const entries = (setting ?? '').split(',').map((entry) => entry.trim());
  if (entries.every((entry) => entry === '')) {
    fail(`not set. Generate a key with: openssl rand -base64 ${KEY_BYTES}`);
  }
  const keys = entries.map(parseEntry);
  const byId = new Map<string, Key>();
  for (const key of keys) {
    if (byId.has(key.id)) fail(`key id "${key.id}" is used twice; each key needs its own id.`);
    byId.set(key.id, key);
  }
  return { current: keys[0]!, byId };
}

// Entries are named by position, not by content: a key written where an id belongs (or the other
// way round) must not end up in a log.
function parseEntry(entry: string, index: number, entries: string[]): Key {
  const which = entries.length === 1 ? 'the key' : `entry ${index + 1}`;
  if (entry === '') fail(`${which} is empty.`);
  const colon = entry.indexOf(':');
  const id = colon === -1 ? undefined : entry.slice(0, colon);
  const encoded = colon === -1 ? entry : entry.slice(colon + 1);
  if (id !== undefined && !KEY_ID.test(id)) {
    fail(`${which} has a bad key id: use 1 to 32 letters, digits, _ or -, before the ':'.`);
  }
  if (!BASE64.test(encoded)) fail(`${which} is not base64.`);
  const material = Buffer.from(encoded, 'base64');
  if (material.length !== KEY_BYTES) {
    fail(
      `${which} is ${material.length} bytes; AES-256-GCM needs exactly ${KEY_BYTES}` +
        ` (openssl rand -base64 ${KEY_BYTES} makes one).`,
    );
  }
  return { id: id ?? derivedKeyId(material), material };
}

function fail(problem: string): never {
  throw new KeySettingError(`${ENCRYPTION_KEY_SETTING}: ${problem}`);
}
