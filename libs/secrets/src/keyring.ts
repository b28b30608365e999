import { hkdfSync } from 'node:crypto';
import { parseKeys } from './keys.ts';
import { keyIdOf, seal, unseal } from './sealing.ts';

export interface KeyRing {
  /** The id of the key new values are sealed with. */
  readonly currentKeyId: string;
  /**
   * Seals `plaintext` with the current key, as `v1.<keyId>.<iv>.<ciphertext>.<tag>`. `aad` binds
   * the value to its place (say `tenant/user/service`): decrypting it with another aad fails.
   */
  encrypt(plaintext: string, aad?: string): string;
  /** Opens a sealed value; throws a `DecryptionError` saying why when it cannot. */
  decrypt(sealed: string, aad?: string): string;
  /** The id of the key that sealed `sealed`. */
  keyIdOf(sealed: string): string;
  /** True when `sealed` was not sealed with the current key: re-seal it (decrypt, encrypt). */
  needsRotation(sealed: string): boolean;
}

/**
 * The key ring of an `RDS_ENCRYPTION_KEY` setting; throws a `KeySettingError` when the setting
 * is bad, so that a service with unusable keys does not start.
 */
export function createKeyRing(setting: string | undefined): KeyRing {
  const keys = parseKeys(setting);
  return {
    currentKeyId: keys.current.id,
    encrypt: (plaintext, aad) => seal(keys.current, plaintext, aad),
    decrypt: (sealed, aad) => unseal(keys, sealed, aad),
    keyIdOf,
    needsRotation: (sealed) => keyIdOf(sealed) !== keys.current.id,
  };
}

/**
 * A key ring for one purpose of one service (an OAuth2 state, a session cookie), its key derived
 * from a secret the service already has (HKDF-SHA256), so that values sealed for one purpose
 * never open for another.
 */
export function derivedKeyRing(secret: string, purpose: string): KeyRing {
  const key = Buffer.from(hkdfSync('sha256', secret, 'rds', purpose, 32));
  return createKeyRing(key.toString('base64'));
}
