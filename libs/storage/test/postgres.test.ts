/**
 * The storage suite on a real PostgreSQL server (DATABASE_URL, or the one of the development
 * machine). Each test gets a schema of its own, dropped at the end. An unreachable server fails
 * these tests: it is never a reason to skip them.
 */
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../src/index.ts';
import { testResources, type Place } from './helpers.ts';
import { storageSuite } from './suite.ts';

const databaseUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const prefix = `rds_test_${randomBytes(4).toString('hex')}`;
let schemas = 0;

function freshPlace(): Promise<Place> {
  // dataDir is for PGlite only; it is never created here.
  return Promise.resolve({
    databaseUrl,
    schema: `${prefix}_${++schemas}`,
    dataDir: join(tmpdir(), 'unused'),
  });
}

afterAll(async () => {
  const admin = new pg.Pool({ connectionString: databaseUrl, max: 1 });
  try {
    const { rows } = await admin.query<{ name: string }>(
      'SELECT nspname AS name FROM pg_namespace WHERE starts_with(nspname, $1)',
      [prefix],
    );
    for (const { name } of rows) await admin.query(`DROP SCHEMA ${name} CASCADE`);
  } finally {
    await admin.end();
  }
});

describe('storage on PostgreSQL', () => {
  const resources = testResources();
  storageSuite(resources, freshPlace);

  it('keeps the tables in the schema asked for', async () => {
    const place = await freshPlace();
    const db = await resources.open(
      place,
      await resources.migrations({ '001_items.sql': 'CREATE TABLE items (id int);' }),
    );
    const { rows } = await db.query<{ schema: string; present: boolean }>(
      'SELECT current_schema() AS schema, to_regclass($1) IS NOT NULL AS present',
      [`${place.schema}.items`],
    );
    expect(rows).toEqual([{ schema: place.schema, present: true }]);
  });

  it('lets replicas start at once: all open, each migration is applied once', async () => {
    const place = await freshPlace();
    const folder = await resources.migrations({
      // Slow, and failing when run twice: a second opener that did not wait would be caught.
      '001_runs.sql': `CREATE TABLE runs (migration int PRIMARY KEY);
                       SELECT pg_sleep(0.3);
                       INSERT INTO runs VALUES (1);`,
      '002_more.sql': 'INSERT INTO runs VALUES (2);',
    });
    const openers = await Promise.all([1, 2, 3].map(() => resources.open(place, folder)));

    const db = openers[0]!;
    const { rows } = await db.query<{ migration: number }>(
      'SELECT migration FROM runs ORDER BY migration',
    );
    expect(rows).toEqual([{ migration: 1 }, { migration: 2 }]);
    const applied = await db.query('SELECT version FROM schema_migrations');
    expect(applied.rowCount).toBe(2);
  });

  it('reports an unreachable server instead of waiting', async () => {
    const unreachable = new URL(databaseUrl);
    unreachable.port = '1'; // nothing listens there
    await expect(
      openDatabase({
        ...(await freshPlace()),
        databaseUrl: unreachable.href,
        migrations: await resources.migrations({}),
      }),
    ).rejects.toThrow(/ECONNREFUSED/);
  });
});
