import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  createKeyRing,
  DecryptionError,
  derivedKeyRing,
  generateKey,
  KeySettingError,
} from '../src/index.ts';

const key = generateKey();
const otherKey = generateKey();
const derivedId = (base64: string) =>
  createHash('sha256').update(Buffer.from(base64, 'base64')).digest('hex').slice(0, 8);

/** `sealed` with one character of its `part` (0 = version … 4 = tag) changed. */
function tamper(sealed: string, part: number): string {
  const parts = sealed.split('.');
  const text = parts[part] ?? '';
  parts[part] = (text[0] === 'A' ? 'B' : 'A') + text.slice(1);
  return parts.join('.');
}

describe('generateKey', () => {
  it('makes a fresh 32-byte key, base64, that a key ring takes', () => {
    expect(Buffer.from(key, 'base64')).toHaveLength(32);
    expect(key).not.toBe(otherKey);
    expect(() => createKeyRing(key)).not.toThrow();
  });
});

describe('a key ring of one key', () => {
  const ring = createKeyRing(key);

  it('decrypts what it encrypts', () => {
    for (const plaintext of ['gho_16C7e42F292c6912E7710c838347Ae178B4a', '', 'pässwörd ✓ 🔑']) {
      expect(ring.decrypt(ring.encrypt(plaintext))).toBe(plaintext);
    }
  });

  it('seals as v1.<keyId>.<iv>.<ciphertext>.<tag>, the key id derived from the key', () => {
    const sealed = ring.encrypt('secret');
    expect(ring.currentKeyId).toBe(derivedId(key));
    expect(sealed).toMatch(
      new RegExp(`^v1\\.${derivedId(key)}\\.[\\w-]{16}\\.[\\w-]{8}\\.[\\w-]{22}$`),
    );
    expect(ring.keyIdOf(sealed)).toBe(derivedId(key));
    expect(ring.needsRotation(sealed)).toBe(false);
  });

  it('seals the same plaintext differently each time', () => {
    const sealed = new Set(Array.from({ length: 50 }, () => ring.encrypt('same')));
    expect(sealed.size).toBe(50);
    const ivs = new Set([...sealed].map((value) => value.split('.')[2]));
    expect(ivs.size).toBe(50);
  });

  it('refuses a value changed anywhere', () => {
    const sealed = ring.encrypt('a refresh token');
    for (const part of [2, 3, 4]) {
      expect(() => ring.decrypt(tamper(sealed, part))).toThrow(DecryptionError);
    }
    expect(() => ring.decrypt(tamper(sealed, 0))).toThrow(/Not a value sealed by RDS/);
    expect(() => ring.decrypt(sealed.slice(0, -2))).toThrow(/damaged/);
    expect(() => ring.decrypt(sealed + '.')).toThrow(/Not a value sealed by RDS/);
    expect(() => ring.decrypt(sealed.replace(/\.[\w-]/, '.!'))).toThrow(
      /Not a value sealed by RDS/,
    );
    expect(() => ring.decrypt('plain text')).toThrow(/Not a value sealed by RDS/);
    expect(() => ring.keyIdOf('plain text')).toThrow(DecryptionError);
  });

  it('opens a value only with the associated data it was sealed with', () => {
    const sealed = ring.encrypt('client secret', 'tenant-a/alice/zenodo');
    expect(ring.decrypt(sealed, 'tenant-a/alice/zenodo')).toBe('client secret');
    for (const aad of ['tenant-a/bob/zenodo', 'tenant-b/alice/zenodo', '', undefined]) {
      expect(() => ring.decrypt(sealed, aad)).toThrow(/other associated data/);
    }
    expect(() => ring.decrypt(ring.encrypt('x'), 'tenant-a/alice/zenodo')).toThrow(DecryptionError);
  });

  it('names the missing key when a value was sealed with one it does not hold', () => {
    const sealed = createKeyRing(`elsewhere:${otherKey}`).encrypt('secret');
    expect(() => ring.decrypt(sealed)).toThrow(/key "elsewhere".*RDS_ENCRYPTION_KEY/);
  });
});

describe('rotation', () => {
  const before = createKeyRing(`2024:${key}`);
  const after = createKeyRing(`2025:${otherKey}, 2024:${key}`);

  it('still opens values sealed with an older key, and tells they need re-sealing', () => {
    const old = before.encrypt('token', 'row-1');
    expect(after.keyIdOf(old)).toBe('2024');
    expect(after.decrypt(old, 'row-1')).toBe('token');
    expect(after.needsRotation(old)).toBe(true);
  });

  it('seals new values with the first key', () => {
    const sealed = after.encrypt('token');
    expect(after.currentKeyId).toBe('2025');
    expect(after.keyIdOf(sealed)).toBe('2025');
    expect(after.needsRotation(sealed)).toBe(false);
    expect(() => before.decrypt(sealed)).toThrow(/key "2025"/);
  });

  it('does not open a value whose key id was relabelled', () => {
    const both = createKeyRing(`a:${key},b:${key}`);
    const relabelled = both.encrypt('token').replace(/^v1\.a\./, 'v1.b.');
    expect(() => both.decrypt(relabelled)).toThrow(DecryptionError);
  });

  it('derives the ids of keys listed without one', () => {
    expect(createKeyRing(`${otherKey},${key}`).currentKeyId).toBe(derivedId(otherKey));
  });
});

describe('bad RDS_ENCRYPTION_KEY settings', () => {
  const short = randomBytes(16).toString('base64');
  const long = randomBytes(33).toString('base64');
  const cases: [string, string | undefined, RegExp][] = [
    ['missing', undefined, /not set/],
    ['empty', ' ', /not set/],
    ['a 16-byte key', short, /the key is 16 bytes; AES-256-GCM needs exactly 32/],
    ['a 33-byte key', `new:${long},old:${key}`, /entry 1 is 33 bytes/],
    ['not base64', `${key.slice(0, -2)}%!`, /the key is not base64/],
    ['a key where the id belongs', `${key}:2025`, /the key has a bad key id/],
    ['an id with a dot', `v.1:${key}`, /bad key id/],
    ['an id twice', `a:${key},a:${otherKey}`, /key id "a" is used twice/],
    ['an empty entry', `a:${key},`, /entry 2 is empty/],
  ];

  it.each(cases)('refuses %s, naming the setting and not the key', (_, setting, reason) => {
    let error: unknown;
    try {
      createKeyRing(setting);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(KeySettingError);
    const message = (error as Error).message;
    expect(message).toMatch(/^RDS_ENCRYPTION_KEY: /);
    expect(message).toMatch(reason);
    for (const secret of [key, otherKey, short, long, key.slice(0, 12), short.slice(0, 12)]) {
      expect(message).not.toContain(secret);
    }
  });
});

describe('derivedKeyRing', () => {
  it('opens what it sealed, and nothing sealed for another purpose or from another secret', () => {
    const secret = 'a service secret of at least thirty-two characters';
    const session = derivedKeyRing(secret, 'web session');
    const sealed = session.encrypt('ada');
    expect(derivedKeyRing(secret, 'web session').decrypt(sealed)).toBe('ada');
    expect(() => derivedKeyRing(secret, 'port-service oauth state').decrypt(sealed)).toThrow(
      DecryptionError,
    );
    expect(() => derivedKeyRing(`${secret}!`, 'web session').decrypt(sealed)).toThrow(
      DecryptionError,
    );
  });
});
