import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Session } from './database.ts';

export interface Migration {
  version: number;
  name: string;
  file: string;
  sql: string;
}

const MIGRATION_FILE = /^(\d+)_([\w-]+)\.sql$/;

/**
 * The migrations in `folder`, by version. A `.sql` file whose name does not follow
 * `NNN_description.sql`, or two files with one version, are refused rather than skipped: a
 * migration that silently never runs is found out much later, in production.
 */
export async function readMigrations(folder: string): Promise<Migration[]> {
  const files = (await readdir(folder)).filter((file) => file.endsWith('.sql'));
  const migrations = new Map<number, Migration>();
  for (const file of files) {
    const match = MIGRATION_FILE.exec(file);
    if (!match) {
      throw new Error(`Migration ${file} in ${folder}: name it NNN_description.sql`);
    }
    const version = Number(match[1]);
    const clash = migrations.get(version);
    if (clash) {
      throw new Error(`Migrations ${clash.file} and ${file} in ${folder} have one version`);
    }
    const sql = await readFile(join(folder, file), 'utf8');
    migrations.set(version, { version, name: match[2] ?? '', file, sql });
  }
  return [...migrations.values()].sort((a, b) => a.version - b.version);
}

const CREATE_TABLE = `
  CREATE TABLE IF NOT EXISTS schema_migrations (
    version integer PRIMARY KEY,
    name text NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now()
  )`;

/**
 * Applies the migrations not applied yet, in order, each in its own transaction. Run it under
 * the backend's migration lock (`Backend.exclusive`): of two replicas starting at once, one
 * migrates, the other then finds nothing left to do. Versions in the table that `migrations`
 * does not know are left alone: a replica of the previous release, still running during a
 * rolling update, meets them.
 */
export async function migrate(session: Session, migrations: Migration[]): Promise<void> {
  await session.exec(CREATE_TABLE);
  const applied = await appliedVersions(session);
  for (const migration of migrations) {
    if (!applied.has(migration.version)) await apply(session, migration);
  }
}

async function appliedVersions(session: Session): Promise<Set<number>> {
  const { rows } = await session.query<{ version: number }>(
    'SELECT version FROM schema_migrations',
  );
  return new Set(rows.map((row) => row.version));
}

async function apply(session: Session, migration: Migration): Promise<void> {
  try {
    await session.transaction(async (tx) => {
      await tx.exec(migration.sql);
      await tx.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [
        migration.version,
        migration.name,
      ]);
    });
  } catch (error) {
    throw new Error(`Migration ${migration.file} failed: ${(error as Error).message}`, {
      cause: error,
    });
  }
}
