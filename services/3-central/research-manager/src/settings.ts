import type { SettingsOf, SettingsSchema } from '@rds/kit';
import { DATABASE_SETTINGS } from '@rds/storage';

export const SETTINGS = {
  type: 'object',
  properties: { ...DATABASE_SETTINGS },
} as const satisfies SettingsSchema;

export type ResearchManagerSettings = SettingsOf<typeof SETTINGS>;
