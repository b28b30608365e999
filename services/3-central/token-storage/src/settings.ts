import type { SettingsSchema } from '@rds/kit';

export interface TokenStorageSettings {
  DATABASE_URL?: string;
  RDS_DATA_DIR: string;
  RDS_DATABASE_SCHEMA?: string;
  RDS_ENCRYPTION_KEY: string;
  RDS_ALLOW_ANONYMOUS_REGISTRATION: boolean;
  RDS_TOKEN_REFRESH_MARGIN_S: number;
}

export const SETTINGS: SettingsSchema = {
  type: 'object',
  properties: {
    DATABASE_URL: { type: 'string', pattern: '^postgres(ql)?://' },
    RDS_DATA_DIR: { type: 'string', default: './.rds' },
    RDS_DATABASE_SCHEMA: { type: 'string', pattern: '^[a-z_][a-z0-9_]{0,62}$' },
    RDS_ENCRYPTION_KEY: { type: 'string', minLength: 1 },
    RDS_ALLOW_ANONYMOUS_REGISTRATION: { type: 'boolean', default: false },
    RDS_TOKEN_REFRESH_MARGIN_S: { type: 'integer', minimum: 0, maximum: 3600, default: 60 },
  },
  required: ['RDS_ENCRYPTION_KEY'],
};
