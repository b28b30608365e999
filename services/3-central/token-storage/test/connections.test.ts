import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { bearer, call } from '@rds/kit/testing';
import { BACKENDS, oauthRegistration, startTokenStorage, type TokenStorage } from './harness.ts';

const portService = (user: string, tenant?: string) =>
  bearer({ issuer: 'port-service', audience: 'token-storage', user, tenant });
const port = (name: string, user: string, tenant?: string) =>
  bearer({ issuer: name, audience: 'token-storage', user, tenant });

describe.each(BACKENDS)('connections on %s', (backend) => {
  let store: TokenStorage;
  const register = async (body: object, tenant?: string) => {
    const headers = bearer({ issuer: 'operator', audience: 'token-storage', tenant });
    expect(
      (await call(`${store.url}/service`, { method: 'POST', headers, json: body })).status,
    ).toBe(200);
  };

  beforeAll(async () => {
    store = await startTokenStorage(backend);
    await register(oauthRegistration('zenodo'));
    await register(oauthRegistration('owncloud'));
    await register({
      servicename: 'dataverse',
      implements: ['repository'],
      credentials: { userId: false, password: true },
    });
    await register(oauthRegistration('zenodo'), 'uni-b');
  });
  afterAll(() => store.dispose());

  test('port-service stores an OAuth2 token; the user sees the connection, without secrets', async () => {
    const stored = await call(`${store.url}/connections/zenodo`, {
      method: 'PUT',
      headers: portService('ada'),
      json: {
        kind: 'oauth2',
        access_token: 'ada-access',
        refresh_token: 'ada-refresh',
        expires_in: 3600,
        scope: 'deposit:write',
      },
    });
    expect(stored.status).toBe(200);
    expect(stored.json()).toMatchObject({
      servicename: 'zenodo',
      kind: 'oauth2',
      state: 'connected',
      scope: 'deposit:write',
    });
    const list = await call(`${store.url}/connections`, { headers: portService('ada') });
    expect(list.json<{ connections: unknown[] }>().connections).toEqual([
      expect.objectContaining({ servicename: 'zenodo', state: 'connected' }),
    ]);
    expect(list.text).not.toContain('ada-access');
    expect(list.text).not.toContain('ada-refresh');
  });

  test('the port reads the current token of its own service for the acting user', async () => {
    const token = await call(`${store.url}/connections/zenodo/token`, {
      headers: port('zenodo', 'ada'),
    });
    expect(token.status).toBe(200);
    expect(token.json()).toMatchObject({
      servicename: 'zenodo',
      kind: 'oauth2',
      access_token: 'ada-access',
      token_type: 'Bearer',
    });
  });

  test('credentials are stored and handed to their port', async () => {
    const stored = await call(`${store.url}/connections/dataverse`, {
      method: 'PUT',
      headers: portService('ada'),
      json: { kind: 'credentials', password: 'api-token-123' },
    });
    expect(stored.json()).toMatchObject({ kind: 'credentials', state: 'connected' });
    expect(stored.text).not.toContain('api-token-123');
    const token = await call(`${store.url}/connections/dataverse/token`, {
      headers: port('dataverse', 'ada'),
    });
    expect(token.json()).toEqual({
      servicename: 'dataverse',
      kind: 'credentials',
      password: 'api-token-123',
    });
  });

  test('a grant of the wrong kind for the service is refused', async () => {
    const answer = await call(`${store.url}/connections/dataverse`, {
      method: 'PUT',
      headers: portService('ada'),
      json: { kind: 'oauth2', access_token: 'x' },
    });
    expect(answer.status).toBe(422);
    expect(answer.json().messageKey).toBe('connection.wrongKind');
  });

  describe('isolation', () => {
    test('a port cannot read another service’s tokens', async () => {
      const answer = await call(`${store.url}/connections/zenodo/token`, {
        headers: port('owncloud', 'ada'),
      });
      expect(answer.status).toBe(403);
      expect(answer.text).not.toContain('ada-access');
    });

    test('port-service stores tokens but never reads them', async () => {
      expect(
        (await call(`${store.url}/connections/zenodo/token`, { headers: portService('ada') }))
          .status,
      ).toBe(403);
    });

    test('only port-service stores tokens and lists connections', async () => {
      const put = await call(`${store.url}/connections/zenodo`, {
        method: 'PUT',
        headers: port('zenodo', 'ada'),
        json: { kind: 'oauth2', access_token: 'forged' },
      });
      expect(put.status).toBe(403);
      expect(
        (await call(`${store.url}/connections`, { headers: port('zenodo', 'ada') })).status,
      ).toBe(403);
      expect(
        (
          await call(`${store.url}/connections`, {
            headers: bearer({ issuer: 'web', audience: 'token-storage', user: 'ada' }),
          })
        ).status,
      ).toBe(403);
      const token = await call(`${store.url}/connections/zenodo/token`, {
        headers: port('zenodo', 'ada'),
      });
      expect(token.json().access_token).toBe('ada-access');
    });

    test('user B cannot read or revoke user A’s connection', async () => {
      expect(
        (await call(`${store.url}/connections/zenodo/token`, { headers: port('zenodo', 'bob') }))
          .status,
      ).toBe(404);
      expect(
        (await call(`${store.url}/connections/zenodo`, { headers: portService('bob') })).status,
      ).toBe(404);
      expect(
        (
          await call(`${store.url}/connections/zenodo`, {
            method: 'DELETE',
            headers: portService('bob'),
          })
        ).status,
      ).toBe(404);
      expect(
        (await call(`${store.url}/connections`, { headers: portService('bob') })).json(),
      ).toEqual({ connections: [] });
      expect(
        (await call(`${store.url}/connections/zenodo/token`, { headers: port('zenodo', 'ada') }))
          .status,
      ).toBe(200);
    });

    test('the same user in another tenant sees nothing of tenant default', async () => {
      expect(
        (
          await call(`${store.url}/connections/zenodo/token`, {
            headers: port('zenodo', 'ada', 'uni-b'),
          })
        ).status,
      ).toBe(404);
      expect(
        (await call(`${store.url}/connections`, { headers: portService('ada', 'uni-b') })).json(),
      ).toEqual({ connections: [] });
      expect(
        (
          await call(`${store.url}/connections/zenodo`, {
            method: 'DELETE',
            headers: portService('ada', 'uni-b'),
          })
        ).status,
      ).toBe(404);
      const services = await call(`${store.url}/service`, { headers: portService('ada', 'uni-b') });
      expect(
        services.json<{ services: { servicename: string }[] }>().services.map((s) => s.servicename),
      ).toEqual(['zenodo']);
    });

    test('a call for no user cannot touch connections', async () => {
      const noUser = bearer({ issuer: 'port-service', audience: 'token-storage' });
      const answer = await call(`${store.url}/connections`, { headers: noUser });
      expect(answer.status).toBe(403);
    });

    test('a call without a service token is refused', async () => {
      for (const [method, path] of [
        ['GET', '/connections'],
        ['GET', '/connections/zenodo/token'],
        ['DELETE', '/connections/zenodo'],
        ['PUT', '/connections/zenodo'],
      ]) {
        const answer = await call(`${store.url}${path}`, {
          method: method!,
          json: method === 'PUT' ? { kind: 'oauth2', access_token: 'x' } : undefined,
        });
        expect(answer.status, `${method} ${path}`).toBe(401);
      }
    });
  });

  test('bad input leaves the store unchanged', async () => {
    const before = (await call(`${store.url}/connections`, { headers: portService('ada') })).text;
    const bad = [
      { kind: 'oauth2' },
      { kind: 'oauth2', access_token: 42 },
      { kind: 'carrier-pigeon', access_token: 'x' },
      { kind: 'oauth2', access_token: 'x', expires_in: -5 },
    ];
    for (const json of bad) {
      const answer = await call(`${store.url}/connections/zenodo`, {
        method: 'PUT',
        headers: portService('ada'),
        json,
      });
      expect(answer.status, JSON.stringify(json)).toBe(400);
    }
    const unknown = await call(`${store.url}/connections/teleport`, {
      method: 'PUT',
      headers: portService('ada'),
      json: { kind: 'oauth2', access_token: 'x' },
    });
    expect(unknown.status).toBe(404);
    expect(unknown.json().messageKey).toBe('service.notFound');
    expect((await call(`${store.url}/connections`, { headers: portService('ada') })).text).toBe(
      before,
    );
    expect(
      (
        await call(`${store.url}/connections/zenodo/token`, { headers: port('zenodo', 'ada') })
      ).json().access_token,
    ).toBe('ada-access');
  });

  test('revoking removes the connection', async () => {
    await call(`${store.url}/connections/owncloud`, {
      method: 'PUT',
      headers: portService('carol'),
      json: { kind: 'oauth2', access_token: 'carol-at' },
    });
    expect(
      (
        await call(`${store.url}/connections/owncloud`, {
          method: 'DELETE',
          headers: portService('carol'),
        })
      ).status,
    ).toBe(204);
    expect(
      (
        await call(`${store.url}/connections/owncloud/token`, {
          headers: port('owncloud', 'carol'),
        })
      ).status,
    ).toBe(404);
    expect(
      (await call(`${store.url}/connections`, { headers: portService('carol') })).json(),
    ).toEqual({ connections: [] });
  });
});
