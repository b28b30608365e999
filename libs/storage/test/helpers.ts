import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach } from 'vitest';
import { openDatabase, type Database, type OpenDatabaseOptions } from '../src/index.ts';

/** Where a fresh, empty database lives: a schema of its own, or a data directory of its own. */
export type Place = Omit<OpenDatabaseOptions, 'migrations'>;

/**
 * Temporary folders and open databases of a test file, cleaned up after each test or at the end,
 * so that a failing test leaks neither connections nor files.
 */
export function testResources() {
  const folders: string[] = [];
  const databases: Database[] = [];

  afterEach(async () => {
    await Promise.all(databases.splice(0).map((db) => db.close()));
  });
  afterAll(async () => {
    await Promise.all(folders.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
  });

  async function folder(): Promise<string> {
    const dir = await mkdtemp(join(tmpdir(), 'rds-storage-test-'));
    folders.push(dir);
    return dir;
  }

  return {
    folder,

    /** A migrations folder holding `files` (name → SQL). */
    async migrations(files: Record<string, string>): Promise<string> {
      const dir = await folder();
      for (const [name, sql] of Object.entries(files)) await writeFile(join(dir, name), sql);
      return dir;
    },

    /** Opens a database that is closed after the test. */
    async open(place: Place, migrations: string): Promise<Database> {
      const db = await openDatabase({ ...place, migrations });
      databases.push(db);
      return db;
    },
  };
}

export type TestResources = ReturnType<typeof testResources>;
