/** The behaviour both engines must share; run by postgres.test.ts and pglite.test.ts. */
import { setTimeout as sleep } from 'node:timers/promises';
import { expect, it } from 'vitest';
import { openDatabase, type Queryable } from '../src/index.ts';
import type { Place, TestResources } from './helpers.ts';

export function storageSuite(resources: TestResources, freshPlace: () => Promise<Place>) {
  const { migrations, open } = resources;

  const versions = async (db: Queryable) => {
    const { rows } = await db.query<{ version: number; name: string }>(
      'SELECT version, name FROM schema_migrations ORDER BY version',
    );
    return rows;
  };

  it('applies the migrations once each, in the order of their numbers', async () => {
    const place = await freshPlace();
    // Written out of order, and 10 after 2 although '10' < '2' as text.
    const folder = await migrations({
      '010_third.sql': "INSERT INTO steps (name) VALUES ('third');",
      '001_first.sql': `CREATE TABLE steps (id serial PRIMARY KEY, name text NOT NULL);
                        INSERT INTO steps (name) VALUES ('first');`,
      '002_second.sql': "INSERT INTO steps (name) VALUES ('second');",
      'README.md': 'not a migration',
    });
    const db = await open(place, folder);

    const { rows } = await db.query<{ name: string }>('SELECT name FROM steps ORDER BY id');
    expect(rows.map((row) => row.name)).toEqual(['first', 'second', 'third']);
    expect(await versions(db)).toEqual([
      { version: 1, name: 'first' },
      { version: 2, name: 'second' },
      { version: 10, name: 'third' },
    ]);
  });

  it('skips applied migrations when opened again, and applies new ones', async () => {
    const place = await freshPlace();
    const first = {
      '001_steps.sql': 'CREATE TABLE steps (name text NOT NULL);',
      '002_one.sql': "INSERT INTO steps VALUES ('one');",
    };
    await (await open(place, await migrations(first))).close();
    const db = await open(
      place,
      await migrations({ ...first, '003_two.sql': "INSERT INTO steps VALUES ('two');" }),
    );

    const { rows } = await db.query<{ name: string }>('SELECT name FROM steps ORDER BY name');
    expect(rows.map((row) => row.name)).toEqual(['one', 'two']);
    const { rows: applied } = await db.query<{ applied_at: Date }>(
      'SELECT applied_at FROM schema_migrations',
    );
    expect(applied).toHaveLength(3);
    expect(applied[0]?.applied_at).toBeInstanceOf(Date);
  });

  it('rolls a failing migration back whole, keeps the earlier ones, and names the file', async () => {
    const place = await freshPlace();
    const good = { '001_good.sql': 'CREATE TABLE good (id int);' };
    const broken = await migrations({
      ...good,
      '002_broken.sql': `CREATE TABLE half (id int);
                         INSERT INTO half VALUES (1);
                         SELECT * FROM no_such_table;`,
    });
    await expect(openDatabase({ ...place, migrations: broken })).rejects.toThrow(
      /Migration 002_broken\.sql failed: .*no_such_table/,
    );

    const db = await open(place, await migrations(good));
    const { rows } = await db.query<{ half: string | null; good: string | null }>(
      "SELECT to_regclass('half')::text AS half, to_regclass('good')::text AS good",
    );
    expect(rows).toEqual([{ half: null, good: 'good' }]);
    expect(await versions(db)).toEqual([{ version: 1, name: 'good' }]);
  });

  it('refuses a .sql file not named NNN_description.sql', async () => {
    const folder = await migrations({ '001_ok.sql': 'SELECT 1;', 'later.sql': 'SELECT 1;' });
    await expect(openDatabase({ ...(await freshPlace()), migrations: folder })).rejects.toThrow(
      /later\.sql.*NNN_description\.sql/,
    );
  });

  it('sends parameters, and counts returned and changed rows', async () => {
    const db = await open(
      await freshPlace(),
      await migrations({ '001_items.sql': 'CREATE TABLE items (id int, label text);' }),
    );
    const inserted = await db.query('INSERT INTO items VALUES ($1, $2), ($3, $4)', [
      1,
      'a',
      2,
      'b',
    ]);
    expect(inserted.rowCount).toBe(2);
    const selected = await db.query<{ label: string }>(
      'SELECT label FROM items WHERE id >= $1 ORDER BY id',
      [1],
    );
    expect(selected).toEqual({ rows: [{ label: 'a' }, { label: 'b' }], rowCount: 2 });
    expect((await db.query('UPDATE items SET label = $1 WHERE id = 99', ['z'])).rowCount).toBe(0);
  });

  it('reads values the same way on both engines', async () => {
    const db = await open(await freshPlace(), await migrations({}));
    const { rows } = await db.query(
      `SELECT 9007199254740993::bigint AS big, count(*) AS count, 1.5::numeric AS exact,
              2::int AS small, '\\x0102'::bytea AS bytes, '{"a":1}'::jsonb AS doc,
              now() AS at, true AS yes`,
    );
    expect(rows[0]).toEqual({
      big: '9007199254740993',
      count: '1',
      exact: '1.5',
      small: 2,
      bytes: Buffer.from([1, 2]),
      doc: { a: 1 },
      at: expect.any(Date),
      yes: true,
    });
  });

  it('commits a transaction that resolves, and rolls back one that throws', async () => {
    const db = await open(
      await freshPlace(),
      await migrations({ '001_items.sql': 'CREATE TABLE items (id int);' }),
    );
    expect(
      await db.transaction(async (tx) => {
        await tx.query('INSERT INTO items VALUES (1)');
        return 'kept';
      }),
    ).toBe('kept');

    const failure = new Error('changed my mind');
    await expect(
      db.transaction(async (tx) => {
        await tx.query('INSERT INTO items VALUES (2)');
        throw failure;
      }),
    ).rejects.toBe(failure);
    await expect(
      db.transaction(async (tx) => {
        await tx.query('INSERT INTO items VALUES (3)');
        await tx.query('INSERT INTO items VALUES (oops)');
      }),
    ).rejects.toThrow(/oops/);

    const { rows } = await db.query<{ id: number }>('SELECT id FROM items');
    expect(rows).toEqual([{ id: 1 }]);
  });

  it('makes a second SELECT … FOR UPDATE wait until the first transaction ends', async () => {
    const db = await open(
      await freshPlace(),
      await migrations({
        '001_tokens.sql': `CREATE TABLE tokens (id int PRIMARY KEY, version int NOT NULL);
                           INSERT INTO tokens VALUES (1, 1);`,
      }),
    );
    const events: string[] = [];
    const lock = 'SELECT version FROM tokens WHERE id = 1 FOR UPDATE';
    let firstLocked!: () => void;
    const locked = new Promise<void>((resolve) => (firstLocked = resolve));

    // The pattern of an OAuth token refresh: whoever holds the row refreshes, the other one then
    // finds the new token instead of refreshing again.
    const first = db.transaction(async (tx) => {
      await tx.query(lock);
      events.push('first locked');
      firstLocked();
      await sleep(300);
      await tx.query('UPDATE tokens SET version = 2 WHERE id = 1');
      events.push('first updated');
    });
    await locked;
    const second = db.transaction(async (tx) => {
      const { rows } = await tx.query<{ version: number }>(lock);
      events.push('second locked');
      return rows[0]?.version;
    });

    await first;
    expect(await second).toBe(2);
    expect(events).toEqual(['first locked', 'first updated', 'second locked']);
  });

  it('answers ping while open, and not after close', async () => {
    const db = await openDatabase({ ...(await freshPlace()), migrations: await migrations({}) });
    await expect(db.ping()).resolves.toBeUndefined();
    await db.close();
    await db.close(); // closing twice is harmless
    await expect(db.ping()).rejects.toThrow();
  });

  it('refuses a schema name that would need quoting', async () => {
    await expect(
      openDatabase({
        ...(await freshPlace()),
        schema: 'Robert"); DROP TABLE students;--',
        migrations: await migrations({}),
      }),
    ).rejects.toThrow(/Invalid schema name/);
  });
}
