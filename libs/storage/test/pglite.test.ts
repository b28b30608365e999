/** The storage suite on embedded PGlite, each test in a data directory of its own. */
import { cp } from 'node:fs/promises';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { beforeAll, describe, expect, it } from 'vitest';
import { testResources, type Place } from './helpers.ts';
import { storageSuite } from './suite.ts';

describe('storage on PGlite', () => {
  const resources = testResources();
  let template = '';

  // Initialising a data directory takes seconds, opening one a fraction of that: each test gets
  // a copy of one empty database instead of a new one.
  beforeAll(async () => {
    template = join(await resources.folder(), 'template');
    await (await PGlite.create(template)).close();
  });

  const freshPlace = async (): Promise<Place> => {
    const dataDir = join(await resources.folder(), 'data');
    await cp(template, dataDir, { recursive: true });
    return { dataDir };
  };
  storageSuite(resources, freshPlace);

  // Initialises a data directory from scratch: slow.
  it(
    'creates the data directory, and keeps the data there across opens',
    { timeout: 60_000 },
    async () => {
      const place = { dataDir: join(await resources.folder(), 'new', 'data') };
      const folder = await resources.migrations({
        '001_items.sql': 'CREATE TABLE items (id int);',
      });
      const first = await resources.open(place, folder);
      await first.query('INSERT INTO items VALUES (42)');
      await first.close();

      const again = await resources.open(place, folder);
      expect((await again.query('SELECT id FROM items')).rows).toEqual([{ id: 42 }]);
    },
  );

  it('keeps the tables in the schema asked for', async () => {
    const db = await resources.open(
      { ...(await freshPlace()), schema: 'rds_app' },
      await resources.migrations({ '001_items.sql': 'CREATE TABLE items (id int);' }),
    );
    const { rows } = await db.query(
      "SELECT current_schema() AS schema, to_regclass('rds_app.items') IS NOT NULL AS present",
    );
    expect(rows).toEqual([{ schema: 'rds_app', present: true }]);
  });
});
