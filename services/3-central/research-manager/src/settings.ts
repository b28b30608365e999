import type { SettingsOf, SettingsSchema } from '@rds/kit';

export const SETTINGS = {
  type: 'object',
  properties: {
    DATABASE_URL: { type: 'string', pattern: '^postgres(ql)?://' },
    RDS_DATA_DIR: { type: 'string', default: './.rds' },
    RDS_DATABASE_SCHEMA: { type: 'string', pattern: '^[a-z_][a-z0-9_]{0,62}$' },
  },
} as const satisfies SettingsSchema;

export type ResearchManagerSettings = SettingsOf<typeof SETTINGS>;
