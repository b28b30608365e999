import type { SettingsOf, SettingsSchema } from '@rds/kit';

export const SETTINGS = {
  type: 'object',
  properties: {
    RDS_ENCRYPTION_KEY: { type: 'string', minLength: 1 },
    RDS_ALLOW_ANONYMOUS_REGISTRATION: { type: 'boolean', default: false },
    RDS_TOKEN_REFRESH_MARGIN_S: { type: 'integer', minimum: 0, maximum: 3600, default: 60 },
  },
  required: ['RDS_ENCRYPTION_KEY'],
} as const satisfies SettingsSchema;

export type TokenStorageSettings = SettingsOf<typeof SETTINGS>;
