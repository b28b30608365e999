/**
 * Encryption at rest for tokens, passwords and client secrets: AES-256-GCM with the keys of
 * `RDS_ENCRYPTION_KEY`, rotatable without re-encrypting everything at once.
 */
export { createKeyRing, derivedKeyRing } from './keyring.ts';
export type { KeyRing } from './keyring.ts';
export { ENCRYPTION_KEY_SETTING, KeySettingError, generateKey } from './keys.ts';
export { DecryptionError } from './sealing.ts';
