import type { SettingsOf, SettingsSchema } from '@rds/kit';

export const SETTINGS = {
  type: 'object',
  properties: {
    RDS_EXPORTER_WORKERS: { type: 'integer', minimum: 0, maximum: 64, default: 2 },
    RDS_EXPORTER_LEASE_MS: { type: 'integer', minimum: 1000, default: 30_000 },
    RDS_EXPORTER_POLL_MS: { type: 'integer', minimum: 50, default: 2000 },
    RDS_EXPORTER_MAX_ATTEMPTS: { type: 'integer', minimum: 1, default: 8 },
    RDS_EXPORTER_FILE_ATTEMPTS: { type: 'integer', minimum: 1, default: 5 },
    RDS_EXPORTER_FILE_CONCURRENCY: { type: 'integer', minimum: 1, maximum: 32, default: 4 },
    RDS_EXPORTER_RETRY_DELAY_MS: { type: 'integer', minimum: 0, default: 500 },
    RDS_EXPORTER_PROGRESS_INTERVAL_MS: { type: 'integer', minimum: 50, default: 1000 },
  },
} as const satisfies SettingsSchema;

export type ExporterSettings = SettingsOf<typeof SETTINGS>;
