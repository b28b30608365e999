/**
 * The repository interface is `repository` in RDS. The original RDS, and the seed's snippet
 * written from it, call it `metadata`: a registration may say either, and is kept and answered
 * as `repository`; registrations stored under the old name are renamed when token-storage starts.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, test } from 'vitest';
import { bearer, call } from '@rds/kit/testing';
import { openDatabase } from '@rds/storage';
import {
  BACKENDS,
  DATABASE_URL,
  oauthRegistration,
  startTokenStorage,
  type TokenStorage,
} from './harness.ts';

const MIGRATIONS = fileURLToPath(new URL('../src/migrations', import.meta.url));
const asOperator = bearer({ issuer: 'operator', audience: 'token-storage' });

interface Listed {
  servicename: string;
  implements: string[];
  updatedAt: string;
}

const register = async (store: TokenStorage, body: object) => {
  const answer = await call(`${store.url}/service`, {
    method: 'POST',
    headers: asOperator,
    json: body,
  });
  expect(answer.status, answer.text).toBe(200);
};
const listed = async (store: TokenStorage, name: string) =>
  (await call(`${store.url}/service`, { headers: asOperator }))
    .json<{ services: Listed[] }>()
    .services.find((s) => s.servicename === name);

let store: TokenStorage | undefined;
afterEach(async () => {
  await store?.dispose();
  store = undefined;
});

describe.each(BACKENDS)('the repository interface on %s', (backend) => {
  test('registered as `metadata`, as `repository`, or as both, it is listed once as `repository`', async () => {
    store = await startTokenStorage(backend);
    const cases: [string, string[], string[]][] = [
      ['port-seed', ['fileStorage', 'metadata'], ['fileStorage', 'repository']],
      ['port-new', ['repository'], ['repository']],
      ['port-both', ['metadata', 'repository'], ['repository']],
    ];
    for (const [name, sent] of cases)
      await register(store, oauthRegistration(name, { implements: sent }));
    for (const [name, , kept] of cases)
      expect((await listed(store, name))?.implements, name).toEqual(kept);
  });

  test('a registration an earlier release stored as `metadata` is listed as `repository` after the upgrade, changed in nothing else', async () => {
    const first = await startTokenStorage(backend);
    store = first;
    await register(first, oauthRegistration('port-zenodo'));
    await first.close();
    // The database as the release before the rename left it.
    const earlier = await openDatabase({
      databaseUrl: backend === 'postgres' ? DATABASE_URL : undefined,
      dataDir: join(first.dataDir, 'token-storage'),
      schema: backend === 'postgres' ? first.schema : undefined,
      migrations: MIGRATIONS,
    });
    await earlier.query(`UPDATE services SET implements = '{fileStorage,metadata}'`);
    await earlier.query('DELETE FROM schema_migrations WHERE version = 3');
    const updatedAt = (
      await earlier.query<{ updated_at: Date | string }>('SELECT updated_at FROM services')
    ).rows.map((row) => new Date(row.updated_at).toISOString());
    await earlier.close();
    expect(updatedAt).toHaveLength(1);

    const upgraded = await startTokenStorage(backend, {
      RDS_DATA_DIR: first.dataDir,
      RDS_ENCRYPTION_KEY: first.encryptionKey,
      ...(backend === 'postgres' ? { RDS_DATABASE_SCHEMA: first.schema } : {}),
    });
    try {
      expect(await listed(upgraded, 'port-zenodo')).toMatchObject({
        implements: ['fileStorage', 'repository'],
        updatedAt: updatedAt[0],
      });
    } finally {
      await upgraded.close();
    }
  });
});
