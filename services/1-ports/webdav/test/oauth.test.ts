/** The webdav port with OAuth2: Bearer tokens, and one refresh and one retry after a 401. */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { bearer, type RunningService } from '@rds/kit/testing';
import { startTokenStorage } from '@rds/token-storage/testing';
import { call, client, connect, startPort, STARTUP_TIMEOUT_MS } from './harness.ts';
import { NextcloudFake } from './nextcloud-fake.ts';
import { registrationFor, type WebDavSettings } from '../src/index.ts';

const BOB = { login: 'bob', password: 'bob-password', id: 'bob' };
const CAROL = { login: 'carol', password: 'carol-password', id: 'carol' };
const CLIENT = { id: 'rds-client', secret: 'rds-client-secret' };

let fake: NextcloudFake;
let tokenStorage: RunningService;
let port: RunningService;
const bob = client(() => port, 'bob');
const carol = client(() => port, 'carol');

beforeAll(async () => {
  fake = await new NextcloudFake([BOB, CAROL], CLIENT).start();
  tokenStorage = await startTokenStorage();
  port = await startPort(tokenStorage, {
    RDS_WEBDAV_SERVER_URL: fake.url,
    RDS_WEBDAV_OAUTH_CLIENT_ID: CLIENT.id,
    RDS_WEBDAV_OAUTH_CLIENT_SECRET: CLIENT.secret,
  });
}, STARTUP_TIMEOUT_MS);

afterAll(async () => {
  await port?.close();
  await tokenStorage?.close();
  await fake?.close();
});

test("registers the server's OAuth2 endpoints", async () => {
  const answer = await call(`${tokenStorage.url}/service/webdav`, {
    headers: bearer({ issuer: 'port-service', audience: 'token-storage' }),
  });
  expect(answer.json()).toMatchObject({
    authType: 'oauth2',
    authorizeUrl: `${fake.url}/index.php/apps/oauth2/authorize`,
    clientId: CLIENT.id,
  });
});

test('a refused access token is refreshed once and the call repeated', async () => {
  const grant = fake.grant(BOB.id);
  await connect(tokenStorage, 'bob', { kind: 'oauth2', ...grant, expires_in: 3600 });
  expect((await bob.put('/by-bearer.txt', 'bearer')).status).toBe(201);
  fake.expire(grant.access_token);
  const start = fake.requests.length;
  expect((await bob.list('/')).entries.map((e) => e.name)).toEqual(['by-bearer.txt']);
  const refreshes = fake.requests.slice(start).filter((r) => r.path.endsWith('/api/v1/token'));
  expect(refreshes).toHaveLength(1);
});

// Carol's, not Bob's: the port keeps Bob's working token from the test before for 30 s.
test('a refresh the server refuses means the user must connect again', async () => {
  await connect(tokenStorage, 'carol', {
    kind: 'oauth2',
    access_token: 'revoked',
    refresh_token: 'revoked too',
    expires_in: 3600,
  });
  const answer = await carol.get('/folder', '/');
  expect(answer.status).toBe(403);
  expect(answer.json().messageKey).toBe('storage.credentialsRefused');
});

test('a client id without its secret is a configuration error', () => {
  expect(() =>
    registrationFor({
      RDS_WEBDAV_SERVER_URL: 'https://cloud.example.org',
      RDS_WEBDAV_OAUTH_CLIENT_ID: 'only-the-id',
    } as WebDavSettings),
  ).toThrow(/RDS_WEBDAV_OAUTH_CLIENT_SECRET/);
});
