import type { Resource } from '@rds/kit';
import type { Database } from './database.ts';
import { openDatabase } from './open.ts';

/**
 * The settings of a service's database, for its settings schema: PostgreSQL where DATABASE_URL
 * is set, an embedded PGlite database under RDS_DATA_DIR otherwise (the embedded default).
 */
export const DATABASE_SETTINGS = {
  DATABASE_URL: { type: 'string', pattern: '^postgres(ql)?://' },
  RDS_DATA_DIR: { type: 'string', default: './.rds' },
  RDS_DATABASE_SCHEMA: { type: 'string', pattern: '^[a-z_][a-z0-9_]{0,62}$' },
} as const;

export interface DatabaseSettings {
  DATABASE_URL?: string | undefined;
  RDS_DATA_DIR: string;
  RDS_DATABASE_SCHEMA?: string | undefined;
}

/** Where a lost connection is told (the service's logger). */
interface Log {
  warn(details: object, message: string): void;
}

/**
 * Opens a service's database from its settings: its own PGlite folder under RDS_DATA_DIR, so that
 * services sharing a data folder keep apart, and its migrations (`migrations`, a folder) applied.
 */
export function openServiceDatabase(
  service: string,
  settings: DatabaseSettings,
  { migrations, log }: { migrations: string; log: Log },
): Promise<Database> {
  return openDatabase({
    databaseUrl: settings.DATABASE_URL,
    dataDir: `${settings.RDS_DATA_DIR}/${service}`,
    schema: settings.RDS_DATABASE_SCHEMA,
    migrations,
    onConnectionError: (error) => log.warn({ err: error }, 'database connection lost'),
  });
}

/**
 * A service's database as its definition declares it: `database: serviceDatabase(MIGRATIONS)`.
 * The kit adds {@link DATABASE_SETTINGS} to the service's settings, opens it before setup, checks
 * it for readiness and closes it after the service's own parts.
 */
export function serviceDatabase(migrations: string): Resource<Database> {
  return {
    settings: { type: 'object', properties: DATABASE_SETTINGS },
    open: ({ service, settings, logger }) =>
      openServiceDatabase(service, settings as DatabaseSettings, { migrations, log: logger }),
    check: (db) => db.ping(),
    close: (db) => db.close(),
  };
}
