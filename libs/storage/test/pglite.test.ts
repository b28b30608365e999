/** The storage suite on embedded PGlite, each test in a data directory of its own. */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { cp, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
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

  describe('one process at a time in a data directory (a second writer would lose rows)', () => {
    const items = () => resources.migrations({ '001_items.sql': 'CREATE TABLE items (id int);' });

    it('a second open in this process is refused, naming it, and the first keeps working', async () => {
      const place = await freshPlace();
      const migrations = await items();
      const first = await resources.open(place, migrations);
      await expect(resources.open(place, migrations)).rejects.toThrow(
        `is in use by process ${process.pid} (this one)`,
      );
      await first.query('INSERT INTO items VALUES (1)');
      expect((await first.query('SELECT id FROM items')).rows).toEqual([{ id: 1 }]);
    });

    it('another live process holding it is named; once it is killed, the folder opens', async () => {
      const place = await freshPlace();
      const migrations = await items();
      const holder = spawn(
        process.execPath,
        ['--import', 'tsx', HOLDER, place.dataDir, migrations],
        {
          stdio: ['ignore', 'pipe', 'inherit'],
        },
      );
      try {
        const [ready] = (await once(holder.stdout!, 'data')) as [Buffer];
        expect(ready.toString()).toBe('open\n');
        const refused = resources.open(place, migrations);
        await expect(refused).rejects.toThrow(
          new RegExp(
            `in use by process ${holder.pid}, .*Stop the other RDS .*--data-dir or RDS_DATA_DIR`,
          ),
        );
      } finally {
        holder.kill('SIGKILL');
        await once(holder, 'exit');
      }
      // The holder died without releasing: its lock is taken over, and its row is there.
      const db = await resources.open(place, migrations);
      expect((await db.query('SELECT id FROM items')).rows).toEqual([{ id: 7 }]);
    });

    it('closing releases it: the next open succeeds and no lock file is left', async () => {
      const place = await freshPlace();
      const migrations = await items();
      await (await resources.open(place, migrations)).close();
      await (await resources.open(place, migrations)).close();
      expect((await readdir(place.dataDir)).filter((name) => name.startsWith('rds.pid'))).toEqual(
        [],
      );
    });

    it('a lock file left by a process that is gone does not keep the folder shut', async () => {
      const place = await freshPlace();
      await writeFile(join(place.dataDir, 'rds.pid'), '2147483646\n');
      const db = await resources.open(place, await items());
      expect((await db.query('SELECT count(*)::int AS n FROM items')).rows).toEqual([{ n: 0 }]);
    });
  });
});

const HOLDER = fileURLToPath(new URL('./hold-database.ts', import.meta.url));
