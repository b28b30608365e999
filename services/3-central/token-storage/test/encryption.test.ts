import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { bearer, call } from '@rds/kit/testing';
import { generateKey } from '@rds/secrets';
import { reencryptAll } from '../src/index.ts';
import {
  BACKENDS,
  DATABASE_URL,
  dropSchema,
  oauthRegistration,
  startTokenStorage,
  type Backend,
  type TokenStorage,
} from './harness.ts';

const SECRETS = {
  clientSecret: 'client-secret-PLAINTEXT-4711',
  accessToken: 'access-token-PLAINTEXT-0815',
  refreshToken: 'refresh-token-PLAINTEXT-1234',
  password: 'app-password-PLAINTEXT-9876',
};

async function fill(store: TokenStorage): Promise<void> {
  const operator = bearer({ issuer: 'operator', audience: 'token-storage' });
  const portService = bearer({ issuer: 'port-service', audience: 'token-storage', user: 'ada' });
  const register = (json: object) =>
    call(`${store.url}/service`, { method: 'POST', headers: operator, json });
  expect(
    (await register(oauthRegistration('zenodo', { client_secret: SECRETS.clientSecret }))).status,
  ).toBe(200);
  expect(
    (
      await register({
        servicename: 'webdav',
        implements: ['fileStorage'],
        credentials: { userId: true, password: true },
      })
    ).status,
  ).toBe(200);
  const oauth = {
    kind: 'oauth2',
    access_token: SECRETS.accessToken,
    refresh_token: SECRETS.refreshToken,
    expires_in: 3600,
  };
  expect(
    (
      await call(`${store.url}/connections/zenodo`, {
        method: 'PUT',
        headers: portService,
        json: oauth,
      })
    ).status,
  ).toBe(200);
  const credentials = { kind: 'credentials', userId: 'ada', password: SECRETS.password };
  expect(
    (
      await call(`${store.url}/connections/webdav`, {
        method: 'PUT',
        headers: portService,
        json: credentials,
      })
    ).status,
  ).toBe(200);
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

/** Everything the database holds, as an attacker with a dump or the files would see it. */
async function everythingStored(store: TokenStorage): Promise<string> {
  if (store.backend === 'postgres') {
    return execFileSync('pg_dump', ['--schema', store.schema, '--data-only', DATABASE_URL], {
      encoding: 'utf8',
    });
  }
  await store.close();
  return filesUnder(store.dataDir)
    .map((file) => readFileSync(file).toString('latin1'))
    .join('\n');
}

let store: TokenStorage | undefined;
afterEach(async () => {
  await store?.dispose().catch(() => undefined);
  store = undefined;
});

describe.each(BACKENDS)('secrets at rest on %s', (backend: Backend) => {
  test('a dump of the database holds none of the stored secrets in plain text', async () => {
    store = await startTokenStorage(backend);
    await fill(store);
    const dump = await everythingStored(store);
    expect(dump).toContain('v1.');
    for (const [name, secret] of Object.entries(SECRETS)) expect(dump, name).not.toContain(secret);
  });
});

describe('re-encryption under a new key', () => {
  test('every secret is re-sealed; the old key can then be dropped', async () => {
    store = await startTokenStorage('postgres');
    await fill(store);
    const oldKey = store.encryptionKey;
    await store.close();
    const newKey = generateKey();
    const settings = {
      DATABASE_URL,
      RDS_DATA_DIR: store.dataDir,
      RDS_DATABASE_SCHEMA: store.schema,
    };
    const counts = await reencryptAll({ ...settings, RDS_ENCRYPTION_KEY: `${newKey},${oldKey}` });
    expect(counts).toEqual({ clientSecrets: 1, connectionSecrets: 3 });
    expect(await reencryptAll({ ...settings, RDS_ENCRYPTION_KEY: `${newKey},${oldKey}` })).toEqual({
      clientSecrets: 0,
      connectionSecrets: 0,
    });

    const rotated = await startTokenStorage('postgres', {
      ...settings,
      RDS_ENCRYPTION_KEY: newKey,
    });
    try {
      const token = await call(`${rotated.url}/connections/zenodo/token`, {
        headers: bearer({ issuer: 'zenodo', audience: 'token-storage', user: 'ada' }),
      });
      expect(token.json()).toMatchObject({ access_token: SECRETS.accessToken });
      const password = await call(`${rotated.url}/connections/webdav/token`, {
        headers: bearer({ issuer: 'webdav', audience: 'token-storage', user: 'ada' }),
      });
      expect(password.json()).toMatchObject({ userId: 'ada', password: SECRETS.password });
    } finally {
      await rotated.close();
      await dropSchema(store.schema);
    }
  });

  test('a service whose key cannot open the stored secrets answers 500 without leaking them', async () => {
    store = await startTokenStorage('pglite');
    await fill(store);
    await store.close();
    const wrong = await startTokenStorage('pglite', {
      RDS_DATA_DIR: store.dataDir,
      RDS_ENCRYPTION_KEY: generateKey(),
    });
    try {
      const answer = await call(`${wrong.url}/connections/zenodo/token`, {
        headers: bearer({ issuer: 'zenodo', audience: 'token-storage', user: 'ada' }),
      });
      expect(answer.status).toBe(500);
      expect(answer.text).not.toContain('PLAINTEXT');
      expect(answer.text).not.toContain('v1.');
    } finally {
      await wrong.close();
    }
  });
});
