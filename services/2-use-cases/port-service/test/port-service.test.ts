import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { bearer, call, startTestService, TEST_SECRET, type RunningService } from '@rds/kit/testing';
import { startTokenStorage } from '@rds/token-storage/testing';
import { startProvider, type TestProvider } from '@rds/test-peers';
import { definition } from '../src/index.ts';
import { newState, sealState, stateSealer } from '../src/state.ts';

let provider: TestProvider;
let tokenStorage: RunningService;
let portService: RunningService;
const SESSION = 'browser-session-of-ada-0001';
const asWeb = (user: string) => bearer({ issuer: 'web', audience: 'port-service', user });
const asOperator = bearer({ issuer: 'operator', audience: 'token-storage' });

async function catalogueEntry(user: string, servicename: string) {
  const answer = await call(`${portService.url}/services`, { headers: asWeb(user) });
  expect(answer.status).toBe(200);
  return answer
    .json<{
      services: {
        servicename: string;
        connect: { method: string };
        connection: { state: string };
      }[];
    }>()
    .services.find((s) => s.servicename === servicename);
}

async function start(user: string, session = SESSION): Promise<string> {
  const answer = await call(`${portService.url}/services/oidc/authorizations`, {
    method: 'POST',
    headers: asWeb(user),
    json: { redirectUri: provider.redirectUri, session },
  });
  expect(answer.status).toBe(200);
  return answer.json<{ authorizeUrl: string }>().authorizeUrl;
}

const complete = (user: string, body: Record<string, string>) =>
  call(`${portService.url}/authorizations/callback`, {
    method: 'POST',
    headers: asWeb(user),
    json: { session: SESSION, ...body },
  });

async function tokenOf(user: string): Promise<string | undefined> {
  const answer = await call(`${tokenStorage.url}/connections/oidc/token`, {
    headers: bearer({ issuer: 'oidc', audience: 'token-storage', user }),
  });
  return answer.status === 200 ? answer.json<{ access_token: string }>().access_token : undefined;
}

beforeAll(async () => {
  provider = await startProvider();
  tokenStorage = await startTokenStorage();
  const register = (json: object) =>
    call(`${tokenStorage.url}/service`, { method: 'POST', headers: asOperator, json });
  expect(
    (
      await register({
        servicename: 'oidc',
        implements: ['repository'],
        authorize_url: provider.authorizeUrl,
        refresh_url: provider.tokenUrl,
        revocation_url: provider.revocationUrl,
        client_id: provider.clientId,
        client_secret: provider.clientSecret,
        scope: 'openid offline_access',
        displayName: 'Test repository',
      })
    ).status,
  ).toBe(200);
  expect(
    (
      await register({
        servicename: 'dataverse',
        implements: ['repository'],
        credentials: { userId: false, password: true },
      })
    ).status,
  ).toBe(200);
  expect(
    (
      await register({
        servicename: 'local-folder',
        implements: ['fileStorage'],
        credentials: { userId: false, password: false },
      })
    ).status,
  ).toBe(200);
  portService = await startTestService(definition, {
    RDS_TOKEN_STORAGE_URL: tokenStorage.url,
  });
});
afterAll(async () => {
  await portService.close();
  await tokenStorage.close();
  await provider.close();
});

describe('the catalogue', () => {
  test('lists every service with how to connect it, and no secrets', async () => {
    const answer = await call(`${portService.url}/services`, { headers: asWeb('ada') });
    const services = answer.json<{
      services: { servicename: string; connect: object; connection: object; displayName: string }[];
    }>().services;
    expect(services.find((s) => s.servicename === 'oidc')).toMatchObject({
      displayName: 'Test repository',
      connect: { method: 'oauth2' },
      connection: { state: 'not-connected' },
    });
    expect(services.find((s) => s.servicename === 'dataverse')).toMatchObject({
      connect: { method: 'credentials', userId: false, password: true },
    });
    expect(services.find((s) => s.servicename === 'local-folder')).toMatchObject({
      connect: { method: 'none' },
      connection: { state: 'connected' },
    });
    expect(answer.text).not.toContain(provider.clientSecret);
    expect(answer.text).not.toMatch(/client_?secret/i);
  });

  test('only web calls it, for a signed-in user', async () => {
    expect(
      (
        await call(`${portService.url}/services`, {
          headers: bearer({ issuer: 'exporter', audience: 'port-service', user: 'ada' }),
        })
      ).status,
    ).toBe(403);
    expect(
      (
        await call(`${portService.url}/services`, {
          headers: bearer({ issuer: 'web', audience: 'port-service' }),
        })
      ).status,
    ).toBe(403);
  });
});

describe('the OAuth2 flow', () => {
  test('authorize → sign in → consent → callback → token stored → the catalogue shows the service connected', async () => {
    const authorizeUrl = await start('ada');
    const url = new URL(authorizeUrl);
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    expect(url.searchParams.get('client_id')).toBe(provider.clientId);
    // Offline access (a refresh token) is asked for as OpenID Connect says: with consent.
    expect(url.searchParams.get('scope')).toBe('openid offline_access');
    expect(url.searchParams.get('prompt')).toBe('consent');
    const back = await provider.consentAt(authorizeUrl, 'ada');
    expect(back.get('code')).toBeTruthy();
    const answer = await complete('ada', { state: back.get('state')!, code: back.get('code')! });
    expect(answer.status).toBe(200);
    expect(answer.json()).toMatchObject({ servicename: 'oidc', state: 'connected' });
    expect((await catalogueEntry('ada', 'oidc'))?.connection.state).toBe('connected');
    const token = await tokenOf('ada');
    expect(await provider.userinfo(token!)).toBe('ada');
  });

  test('a replayed callback stores nothing, even with a fresh code', async () => {
    const authorizeUrl = await start('grace');
    const first = await provider.consentAt(authorizeUrl, 'grace');
    expect(
      (await complete('grace', { state: first.get('state')!, code: first.get('code')! })).status,
    ).toBe(200);
    const stored = await tokenOf('grace');
    const second = await provider.consentAt(authorizeUrl, 'grace');
    const replay = await complete('grace', {
      state: second.get('state')!,
      code: second.get('code')!,
    });
    expect(replay.status).toBe(409);
    expect(replay.json().messageKey).toBe('oauth.stateReplayed');
    expect(await tokenOf('grace')).toBe(stored);
  });

  test('a declined authorization (error=access_denied) stores nothing', async () => {
    const authorizeUrl = await start('bob');
    const state = new URL(authorizeUrl).searchParams.get('state')!;
    const answer = await complete('bob', {
      state,
      error: 'access_denied',
      error_description: 'The user said no',
    });
    expect(answer.status).toBe(400);
    expect(answer.json()).toMatchObject({
      messageKey: 'oauth.denied',
      args: { error: 'access_denied' },
      // Named as the catalogue names it, not by its technical name.
      detail: 'The connection to Test repository was declined.',
    });
    expect((await catalogueEntry('bob', 'oidc'))?.connection.state).toBe('not-connected');
  });

  test('a state from another user, or another browser session, stores nothing', async () => {
    const authorizeUrl = await start('carol');
    const back = await provider.consentAt(authorizeUrl, 'carol');
    const foreign = await complete('mallory', {
      state: back.get('state')!,
      code: back.get('code')!,
    });
    expect(foreign.status).toBe(403);
    expect(foreign.json().messageKey).toBe('oauth.stateForeign');
    const otherSession = await call(`${portService.url}/authorizations/callback`, {
      method: 'POST',
      headers: asWeb('carol'),
      json: {
        state: back.get('state')!,
        code: back.get('code')!,
        session: 'another-browser-session-9999',
      },
    });
    expect(otherSession.status).toBe(403);
    expect(await tokenOf('mallory')).toBeUndefined();
    expect(await tokenOf('carol')).toBeUndefined();
  });

  test('an expired state stores nothing', async () => {
    const expired = newState({
      tenant: 'default',
      user: 'dave',
      service: 'oidc',
      session: SESSION,
      redirectUri: provider.redirectUri,
      ttlSeconds: -1,
    });
    const answer = await complete('dave', {
      state: sealState(stateSealer(TEST_SECRET), expired),
      code: 'whatever',
    });
    expect(answer.status).toBe(400);
    expect(answer.json().messageKey).toBe('oauth.stateExpired');
    expect(await tokenOf('dave')).toBeUndefined();
  });

  test('a forged state stores nothing', async () => {
    const forged = sealState(
      stateSealer('x'.repeat(64)),
      newState({
        tenant: 'default',
        user: 'eve',
        service: 'oidc',
        session: SESSION,
        redirectUri: provider.redirectUri,
        ttlSeconds: 600,
      }),
    );
    for (const state of [forged, 'not-a-state']) {
      const answer = await complete('eve', { state, code: 'whatever' });
      expect(answer.status).toBe(400);
      expect(answer.json().messageKey).toBe('oauth.stateInvalid');
    }
    expect(await tokenOf('eve')).toBeUndefined();
  });

  test('disconnecting revokes the token at the provider', async () => {
    const token = await tokenOf('ada');
    expect(await provider.userinfo(token!)).toBe('ada');
    const answer = await call(`${portService.url}/services/oidc/connection`, {
      method: 'DELETE',
      headers: asWeb('ada'),
    });
    expect(answer.status).toBe(204);
    expect((await catalogueEntry('ada', 'oidc'))?.connection.state).toBe('not-connected');
    expect(await provider.userinfo(token!)).toBeUndefined();
  });
});

describe('credential connections', () => {
  test('an API token connects; disconnecting removes it', async () => {
    const answer = await call(`${portService.url}/services/dataverse/credentials`, {
      method: 'PUT',
      headers: asWeb('ada'),
      json: { password: 'api-token-1' },
    });
    expect(answer.status).toBe(200);
    expect(answer.json()).toMatchObject({ servicename: 'dataverse', state: 'connected' });
    expect(answer.text).not.toContain('api-token-1');
    expect((await catalogueEntry('ada', 'dataverse'))?.connection.state).toBe('connected');
    expect(
      (
        await call(`${portService.url}/services/dataverse/connection`, {
          method: 'DELETE',
          headers: asWeb('ada'),
        })
      ).status,
    ).toBe(204);
    expect((await catalogueEntry('ada', 'dataverse'))?.connection.state).toBe('not-connected');
  });

  test('credentials for an OAuth2 service, or an unknown service, are refused', async () => {
    const oauth = await call(`${portService.url}/services/oidc/credentials`, {
      method: 'PUT',
      headers: asWeb('ada'),
      json: { password: 'x' },
    });
    expect(oauth.status).toBe(422);
    const unknown = await call(`${portService.url}/services/teleport/credentials`, {
      method: 'PUT',
      headers: asWeb('ada'),
      json: { password: 'x' },
    });
    expect(unknown.status).toBe(404);
  });
});
