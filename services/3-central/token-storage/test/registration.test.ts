/**
 * Anonymous registration (`RDS_ALLOW_ANONYMOUS_REGISTRATION`, on under `rds start`) as an
 * attacker tries it (issue 19, item 1): anyone who reaches token-storage may register a new
 * name, but not take over a registered one, register in another tenant, or plant markup and
 * `javascript:` links in what the UI shows.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { bearer, call, type Answer } from '@rds/kit/testing';
import { startProvider, type TestProvider } from '@rds/test-peers';
import { BACKENDS, oauthRegistration, startTokenStorage, type TokenStorage } from './harness.ts';

const asOperator = bearer({ issuer: 'operator', audience: 'token-storage' });
const as = (issuer: string, user?: string) =>
  bearer({ issuer, audience: 'token-storage', ...(user ? { user } : {}) });

function expectProblem(answer: Answer, status: number, messageKey: string) {
  expect(answer.status, answer.text).toBe(status);
  expect(answer.headers['content-type']).toMatch(/^application\/problem\+json/);
  const problem = answer.json<{ messageKey: string; detail: string; errors?: unknown[] }>();
  expect(problem.messageKey).toBe(messageKey);
  return problem;
}

/** The attacker's token endpoint: it counts what it is sent, and answers like a provider. */
async function startCollector(): Promise<{ url: string; bodies: string[]; close: () => void }> {
  const bodies: string[] = [];
  const server: Server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => (body += chunk));
    request.on('end', () => {
      bodies.push(body);
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ access_token: 'stolen', token_type: 'Bearer' }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/token`, bodies, close: () => server.close() };
}

let provider: TestProvider;
let collector: Awaited<ReturnType<typeof startCollector>>;
beforeAll(async () => {
  [provider, collector] = await Promise.all([startProvider(), startCollector()]);
});
afterAll(async () => {
  collector?.close();
  await provider?.close();
});

describe.each(BACKENDS)('anonymous registration on %s', (backend) => {
  let store: TokenStorage;
  const register = (json: unknown, headers: Record<string, string> = {}) =>
    call(`${store.url}/service`, { method: 'POST', headers, json });
  const read = async (name: string) =>
    (await call(`${store.url}/service/${name}`, { headers: asOperator })).json<{
      updatedAt: string;
      [field: string]: unknown;
    }>();

  beforeAll(async () => {
    store = await startTokenStorage(backend, { RDS_ALLOW_ANONYMOUS_REGISTRATION: 'true' });
  });
  afterAll(() => store?.dispose());

  test('a stranger cannot point a registered service at their own token endpoint: refreshes still go to the provider', async () => {
    const name = `port-victim-${backend}`;
    const registered = {
      servicename: name,
      authorize_url: provider.authorizeUrl,
      refresh_url: provider.tokenUrl,
      client_id: provider.clientId,
      client_secret: provider.clientSecret,
      scope: 'openid offline_access',
      implements: ['fileStorage'],
    };
    expect((await register(registered)).json()).toEqual({ success: true });
    const user = `ada-${backend}`;
    const { code, redirectUri, codeVerifier } = await provider.authorize(user);
    const connected = await call(`${store.url}/connections/${name}/authorization-code`, {
      method: 'POST',
      headers: as('port-service', user),
      json: { code, redirect_uri: redirectUri, code_verifier: codeVerifier },
    });
    expect(connected.status, connected.text).toBe(200);
    const before = await read(name);

    const hijack = await register({
      ...registered,
      refresh_url: collector.url,
      client_id: 'evil',
      client_secret: 'evil-secret',
    });
    const problem = expectProblem(hijack, 403, 'registration.changeRefused');
    expect(problem.detail).toContain(`rds token --service ${name} --audience token-storage`);
    expect(await read(name)).toEqual(before);

    const token = await call(`${store.url}/connections/${name}/token`, { headers: as(name, user) });
    const refreshes = provider.grants('refresh_token');
    const refreshed = await call(`${store.url}/connections/${name}/token/refresh`, {
      method: 'POST',
      headers: as(name, user),
      json: { rejected_access_token: token.json<{ access_token: string }>().access_token },
    });
    expect(refreshed.status, refreshed.text).toBe(200);
    expect(provider.grants('refresh_token')).toBe(refreshes + 1);
    expect(collector.bodies).toEqual([]);
  });

  test('the same registration again is a no-op answering {success: true}', async () => {
    const registration = oauthRegistration(`port-same-${backend}`, { displayName: 'Same' });
    expect((await register(registration)).json()).toEqual({ success: true });
    const first = await read(registration.servicename);
    const again = await register(registration);
    expect(again.status).toBe(200);
    expect(again.json()).toEqual({ success: true });
    expect(await read(registration.servicename)).toEqual(first);
    // Wrapped as the original's {type, data}, too.
    const wrapped = await register({ type: 'OAuth2Service', data: registration });
    expect(wrapped.json()).toEqual({ success: true });
    expect(await read(registration.servicename)).toEqual(first);
  });

  test('with the registered client secret, the registrant may change URLs, implements and display fields', async () => {
    const registration = oauthRegistration(`port-owner-${backend}`);
    await register(registration);
    const changed = await register({
      ...registration,
      authorize_url: 'https://moved.example/authorize',
      implements: ['repository'],
      displayName: 'Moved',
    });
    expect(changed.json()).toEqual({ success: true });
    expect(await read(registration.servicename)).toMatchObject({
      authorizeUrl: 'https://moved.example/authorize',
      implements: ['repository'],
      displayName: 'Moved',
    });
  });

  test.each([
    ['another client secret', { client_secret: 'rotated-by-a-stranger' }],
    [
      'another token endpoint',
      { client_secret: 'guess', refresh_url: 'https://evil.example/token' },
    ],
    ['other implements', { client_secret: 'guess', implements: ['repository'] }],
    ['a display name', { client_secret: 'guess', displayName: 'Official Zenodo' }],
  ])('changing it with %s is refused, and nothing changes', async (_what, change) => {
    const registration = oauthRegistration(
      `port-held-${backend}-${randomBytes(3).toString('hex')}`,
    );
    await register(registration);
    const before = await read(registration.servicename);
    const refused = await register({ ...registration, ...change });
    expectProblem(refused, 403, 'registration.changeRefused');
    expect(await read(registration.servicename)).toEqual(before);
  });

  test('a credentials service registered anonymously may be repeated, not changed', async () => {
    const body = {
      servicename: `port-dataverse-${backend}`,
      implements: ['repository'],
      credentials: { userId: false, password: true },
      displayName: 'Dataverse',
    };
    expect((await register(body)).json()).toEqual({ success: true });
    expect((await register(body)).json()).toEqual({ success: true });
    const before = await read(body.servicename);
    const changed = await register({ ...body, credentials: { userId: true, password: true } });
    expectProblem(changed, 403, 'registration.changeRefused');
    expect(await read(body.servicename)).toEqual(before);
  });

  test('a secret is rotated with a service token of the service, or of operator', async () => {
    const registration = oauthRegistration(`port-rotating-${backend}`);
    await register(registration);
    const own = await register(
      { ...registration, client_secret: 'rotated-by-the-port' },
      as(registration.servicename),
    );
    expect(own.json()).toEqual({ success: true });
    // The old secret no longer proves anything; the new one does.
    const withOld = await register({ ...registration, displayName: 'Old secret' });
    expectProblem(withOld, 403, 'registration.changeRefused');
    const withNew = await register({
      ...registration,
      client_secret: 'rotated-by-the-port',
      displayName: 'New secret',
    });
    expect(withNew.json()).toEqual({ success: true });
    const byOperator = await register(
      { ...registration, client_secret: 'rotated-by-the-operator' },
      asOperator,
    );
    expect(byOperator.json()).toEqual({ success: true });
  });

  test('two strangers registering a new name at once: one wins, the other is refused', async () => {
    const name = `port-race-${backend}`;
    const answers = await Promise.all(
      ['first', 'second', 'third'].map((who) =>
        register(oauthRegistration(name, { client_secret: `secret-of-${who}` })),
      ),
    );
    expect(answers.map((a) => a.status).sort()).toEqual([200, 403, 403]);
  });

  test.each(['research-manager', 'Exporter', 'web', 'operator'])(
    'no one registers a port under the name of an RDS service (%s), not even operator',
    async (name) => {
      const registration = oauthRegistration(name, { implements: ['fileStorage'] });
      for (const headers of [{}, asOperator]) {
        const answer = await register(registration, headers);
        const problem = expectProblem(answer, 422, 'registration.reservedName');
        expect(problem.detail).toContain('not a port');
      }
      const listed = await call(`${store.url}/service`, { headers: asOperator });
      expect(listed.text).not.toContain(`"${name.toLowerCase()}"`);
    },
  );

  test('not in another tenant: X-Tenant without a token is refused, and nothing is registered there', async () => {
    const registration = oauthRegistration(`port-tenant-${backend}`);
    const elsewhere = await register(registration, { 'x-tenant': 'uni-b' });
    expectProblem(elsewhere, 403, 'auth.forbidden');
    const inUniB = bearer({ issuer: 'operator', audience: 'token-storage', tenant: 'uni-b' });
    const listed = await call(`${store.url}/service`, { headers: inUniB });
    expect(listed.json()).toEqual({ services: [] });
  });

  test.each([
    [
      'markup in the display name',
      { displayName: '<img src=x onerror=alert(1)>' },
      '#/displayName',
    ],
    ['markup in a description', { description: { en: 'Hi <script>' } }, '#/description'],
    ['a javascript: info URL', { infoUrl: 'javascript:alert(1)' }, '#/infoUrl'],
    ['a data: help URL', { helpUrl: 'data:text/html,<b>x</b>' }, '#/helpUrl'],
    [
      'a javascript: project link',
      { projectLinkTemplate: 'javascript:alert(1)' },
      '#/projectLinkTemplate',
    ],
    ['a NUL in the display name', { displayName: 'Zen\u0000odo' }, '#/displayName'],
  ])('%s: 400 naming the field, nothing stored', async (_what, change, pointer) => {
    const registration = oauthRegistration(
      `port-display-${randomBytes(3).toString('hex')}`,
      change,
    );
    const answer = await register(registration);
    const problem = expectProblem(answer, 400, 'request.invalid');
    expect((problem.errors as { pointer: string }[]).map((e) => e.pointer)).toContainEqual(
      expect.stringMatching(new RegExp(`^${pointer}`)),
    );
    expect(
      (await call(`${store.url}/service/${registration.servicename}`, { headers: asOperator }))
        .status,
    ).toBe(404);
  });

  test('a registration sent as application/problem+json is refused (415), not stored unchecked', async () => {
    const registration = oauthRegistration(`port-typed-${backend}`, {
      displayName: '<img src=x onerror=alert(1)>',
    });
    const answer = await call(`${store.url}/service`, {
      method: 'POST',
      headers: { 'content-type': 'application/problem+json' },
      body: JSON.stringify(registration),
    });
    expectProblem(answer, 415, 'request.unsupportedMediaType');
    expect(
      (await call(`${store.url}/service/${registration.servicename}`, { headers: asOperator }))
        .status,
    ).toBe(404);
  });
});
