import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { bearer, call } from '@rds/kit/testing';
import { BACKENDS, oauthRegistration, startTokenStorage, type TokenStorage } from './harness.ts';

describe.each(BACKENDS)('service registry on %s', (backend) => {
  let store: TokenStorage;
  const asOperator = bearer({ issuer: 'operator', audience: 'token-storage' });
  const as = (issuer: string) => bearer({ issuer, audience: 'token-storage' });
  const services = async () =>
    (await call(`${store.url}/service`, { headers: asOperator })).json<{
      services: { servicename: string }[];
    }>().services;

  beforeAll(async () => {
    store = await startTokenStorage(backend, { RDS_ALLOW_ANONYMOUS_REGISTRATION: 'true' });
  });
  afterAll(() => store.dispose());

  test('accepts the seed’s flat body and the original’s {type, data} form, answering {success: true}', async () => {
    const flat = await call(`${store.url}/service`, {
      method: 'POST',
      json: oauthRegistration('port-flat'),
    });
    expect(flat.status).toBe(200);
    expect(flat.json()).toEqual({ success: true });
    const wrapped = await call(`${store.url}/service`, {
      method: 'POST',
      json: { type: 'OAuth2Service', data: oauthRegistration('Port-Wrapped') },
    });
    expect(wrapped.json()).toEqual({ success: true });
    const names = (await services()).map((s) => s.servicename);
    expect(names).toEqual(expect.arrayContaining(['port-flat', 'port-wrapped']));
  });

  test('a repeated registration (with the registered client secret) answers success again and updates the record', async () => {
    const registration = oauthRegistration('port-again', { displayName: 'Old' });
    await call(`${store.url}/service`, { method: 'POST', json: registration });
    const again = await call(`${store.url}/service`, {
      method: 'POST',
      json: {
        ...registration,
        displayName: 'New',
        authorize_url: 'https://new.example/authorize',
      },
    });
    expect(again.json()).toEqual({ success: true });
    const service = (await call(`${store.url}/service/port-again`, { headers: asOperator })).json();
    expect(service).toMatchObject({
      displayName: 'New',
      authorizeUrl: 'https://new.example/authorize',
      authType: 'oauth2',
    });
  });

  test('credential services register without OAuth2 fields', async () => {
    const body = {
      servicename: 'port-dataverse',
      implements: ['repository'],
      credentials: { userId: false, password: true },
      displayName: 'Dataverse',
    };
    expect((await call(`${store.url}/service`, { method: 'POST', json: body })).status).toBe(200);
    const service = (
      await call(`${store.url}/service/port-dataverse`, { headers: asOperator })
    ).json();
    expect(service).toMatchObject({
      authType: 'credentials',
      credentials: { userId: false, password: true },
      implements: ['repository'],
    });
  });

  test('no listing or read ever contains a client secret', async () => {
    const registration = oauthRegistration('port-secretive');
    await call(`${store.url}/service`, { method: 'POST', json: registration });
    const list = await call(`${store.url}/service`, { headers: asOperator });
    const one = await call(`${store.url}/service/port-secretive`, { headers: asOperator });
    for (const answer of [list, one]) {
      expect(answer.status).toBe(200);
      expect(answer.text).not.toContain(registration.client_secret);
      expect(answer.text).not.toMatch(/client_?secret/i);
    }
  });

  describe('bad bodies get 400 problem+json naming the field, and change nothing', () => {
    const cases: [string, unknown, string][] = [
      ['no servicename', { ...oauthRegistration('x'), servicename: undefined }, '#/servicename'],
      ['a servicename with a slash', oauthRegistration('a/b'), '#/servicename'],
      ['empty implements', oauthRegistration('port-x', { implements: [] }), '#/implements'],
      [
        'an unknown interface',
        oauthRegistration('port-x', { implements: ['fileStorage', 'teleport'] }),
        '#/implements/1',
      ],
      [
        'implements as a string',
        oauthRegistration('port-x', { implements: 'repository' }),
        '#/implements',
      ],
      [
        'a token endpoint that is no URL',
        oauthRegistration('port-x', { refresh_url: 'not a url' }),
        '#/refresh_url',
      ],
      [
        'a javascript: URL',
        oauthRegistration('port-x', { authorize_url: 'javascript:alert(1)' }),
        '#/authorize_url',
      ],
      [
        'OAuth2 without a client secret',
        { ...oauthRegistration('port-x'), client_secret: undefined },
        '#',
      ],
      [
        'credentials and OAuth2 at once',
        oauthRegistration('port-x', { credentials: { userId: true, password: true } }),
        '#',
      ],
      [
        'credentials of the wrong type',
        {
          servicename: 'port-x',
          implements: ['repository'],
          credentials: { userId: 'yes', password: true },
        },
        '#/credentials/userId',
      ],
      ['an unknown field', oauthRegistration('port-x', { clientSecret: 'typo' }), '#/clientSecret'],
    ];
    test.each(cases)('%s', async (_name, body, pointer) => {
      const before = await services();
      const answer = await call(`${store.url}/service`, { method: 'POST', json: body });
      expect(answer.status).toBe(400);
      expect(answer.headers['content-type']).toMatch(/^application\/problem\+json/);
      const problem = answer.json<{ messageKey: string; errors: { pointer: string }[] }>();
      expect(problem.messageKey).toBe('request.invalid');
      expect(problem.errors.map((e) => e.pointer)).toContain(pointer);
      expect(await services()).toEqual(before);
    });

    test('malformed JSON', async () => {
      const before = await services();
      const answer = await call(`${store.url}/service`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"servicename": ',
      });
      expect(answer.status).toBe(400);
      expect(answer.json().messageKey).toBe('request.malformed');
      expect(await services()).toEqual(before);
    });

    test('an oversize body: 413', async () => {
      const answer = await call(`${store.url}/service`, {
        method: 'POST',
        json: oauthRegistration('port-big', {
          icon: `data:image/png;base64,${'A'.repeat(2_000_000)}`,
        }),
      });
      expect(answer.status).toBe(413);
      expect((await services()).map((s) => s.servicename)).not.toContain('port-big');
    });
  });

  test('with a service token, a port registers itself; another service may not', async () => {
    expect(
      (
        await call(`${store.url}/service`, {
          method: 'POST',
          headers: as('port-self'),
          json: oauthRegistration('port-self'),
        })
      ).status,
    ).toBe(200);
    const other = await call(`${store.url}/service`, {
      method: 'POST',
      headers: as('port-evil'),
      json: oauthRegistration('port-self'),
    });
    expect(other.status).toBe(403);
    expect(other.json().messageKey).toBe('auth.forbidden');
  });

  test('reads need a service token', async () => {
    expect((await call(`${store.url}/service`)).status).toBe(401);
    expect((await call(`${store.url}/service/port-flat`)).status).toBe(401);
  });

  test('an unknown service: 404 problem', async () => {
    const answer = await call(`${store.url}/service/port-nowhere`, { headers: asOperator });
    expect(answer.status).toBe(404);
    expect(answer.json().messageKey).toBe('service.notFound');
  });

  test('deleting a service removes its connections with it', async () => {
    await call(`${store.url}/service`, { method: 'POST', json: oauthRegistration('port-doomed') });
    for (const user of ['ada', 'grace']) {
      const headers = bearer({ issuer: 'port-service', audience: 'token-storage', user });
      const stored = await call(`${store.url}/connections/port-doomed`, {
        method: 'PUT',
        headers,
        json: { kind: 'oauth2', access_token: `at-${user}` },
      });
      expect(stored.status).toBe(200);
    }
    const refused = await call(`${store.url}/service/port-doomed`, {
      method: 'DELETE',
      headers: as('port-flat'),
    });
    expect(refused.status).toBe(403);
    const deleted = await call(`${store.url}/service/port-doomed`, {
      method: 'DELETE',
      headers: as('port-doomed'),
    });
    expect(deleted.json()).toEqual({ servicename: 'port-doomed', connectionsRemoved: 2 });
    const headers = bearer({ issuer: 'port-service', audience: 'token-storage', user: 'ada' });
    expect((await call(`${store.url}/connections/port-doomed`, { headers })).status).toBe(404);
    expect(
      (await call(`${store.url}/service/port-doomed`, { method: 'DELETE', headers: asOperator }))
        .status,
    ).toBe(404);
  });
});

describe('anonymous registration', () => {
  test('is refused unless RDS_ALLOW_ANONYMOUS_REGISTRATION is true', async () => {
    const store = await startTokenStorage('pglite');
    try {
      const answer = await call(`${store.url}/service`, {
        method: 'POST',
        json: oauthRegistration('port-anon'),
      });
      expect(answer.status).toBe(401);
      const asSelf = bearer({ issuer: 'port-anon', audience: 'token-storage' });
      expect(
        (
          await call(`${store.url}/service`, {
            method: 'POST',
            headers: asSelf,
            json: oauthRegistration('port-anon'),
          })
        ).status,
      ).toBe(200);
    } finally {
      await store.dispose();
    }
  });
});
