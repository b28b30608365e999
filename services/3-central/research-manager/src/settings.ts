import type { SettingsSchema } from '@rds/kit';

export interface ResearchManagerSettings {
  DATABASE_URL?: string;
  RDS_DATA_DIR: string;
  RDS_DATABASE_SCHEMA?: string;
}

export const SETTINGS: SettingsSchema = {
  type: 'object',
  properties: {
    DATABASE_URL: { type: 'string', pattern: '^postgres(ql)?://' },
    RDS_DATA_DIR: { type: 'string', default: './.rds' },
    RDS_DATABASE_SCHEMA: { type: 'string', pattern: '^[a-z_][a-z0-9_]{0,62}$' },
  },
};
