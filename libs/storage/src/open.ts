import { checkSchemaName, type Backend, type Database } from './database.ts';
import { migrate, readMigrations } from './migrations.ts';

export interface OpenDatabaseOptions {
  /** A PostgreSQL connection URL; without one, an embedded PGlite database in `dataDir`. */
  databaseUrl?: string | undefined;
  /** Where PGlite keeps its files; created when missing. Unused with `databaseUrl`. */
  dataDir: string;
  /** The folder of `NNN_description.sql` migrations, applied in order at open. */
  migrations: string;
  /**
   * Keep every table in this schema (created when missing) instead of the default one: lets
   * test runs, or services sharing one database, stay out of each other's way.
   */
  schema?: string | undefined;
  /** Told when an idle PostgreSQL connection breaks, for the log; the pool replaces it. */
  onConnectionError?: ((error: Error) => void) | undefined;
}

/**
 * Opens the service's database, PostgreSQL or PGlite, and brings its schema up to date. Rejects
 * (with everything opened closed again) when the database cannot be reached or a migration fails.
 */
export async function openDatabase(options: OpenDatabaseOptions): Promise<Database> {
  const schema = options.schema === undefined ? undefined : checkSchemaName(options.schema);
  // Read first: a broken migrations folder fails before any connection is made.
  const migrations = await readMigrations(options.migrations);
  const backend = await openBackend(options, schema);
  try {
    await backend.exclusive(async (session) => {
      // Under the lock: two openers creating one schema at once can otherwise collide.
      if (schema) await session.exec(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
      await migrate(session, migrations);
    });
  } catch (error) {
    await backend.close().catch(() => {});
    throw error;
  }
  const { query, transaction, ping, close } = backend;
  return { query, transaction, ping, close };
}

// Each engine is loaded only when used: a service on PostgreSQL never loads PGlite's WASM.
async function openBackend(options: OpenDatabaseOptions, schema?: string): Promise<Backend> {
  if (options.databaseUrl) {
    const { openPostgres } = await import('./postgres.ts');
    return openPostgres({
      databaseUrl: options.databaseUrl,
      schema,
      onConnectionError: options.onConnectionError,
    });
  }
  const { openPglite } = await import('./pglite.ts');
  return openPglite({ dataDir: options.dataDir, schema });
}
