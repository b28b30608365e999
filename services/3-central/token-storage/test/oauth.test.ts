/**
 * token-storage against a real OAuth 2.0 authorization server (oidc-provider): code exchange with
 * PKCE, refresh before expiry and after a rejection, refused refreshes, revocation, client-secret
 * rotation, and the refresh race of two token-storage processes on one PostgreSQL database.
 */
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { generateKey } from '@rds/secrets';
import { bearer, TEST_SECRET, call, type Answer } from '@rds/kit/testing';
import {
  BACKENDS,
  DATABASE_URL,
  dropSchema,
  startTokenStorage,
  type TokenStorage,
} from './harness.ts';
import { startProvider, type TestProvider } from '@rds/test-peers';
import { serveService, type ServedProcess } from './rds-process.ts';

/** Tokens expiring within this many seconds are refreshed before they are handed out. */
const MARGIN_S = 30;
const LONG_TTL_S = 300;

const asOperator = bearer({ issuer: 'operator', audience: 'token-storage' });
/** The use case that connects users: it stores and lists connections, but reads no token. */
const asPortService = (user: string) =>
  bearer({ issuer: 'port-service', audience: 'token-storage', user });
/** A port, reading its own users' tokens. */
const asPort = (port: string, user: string) =>
  bearer({ issuer: port, audience: 'token-storage', user });

interface Token {
  servicename: string;
  kind: string;
  access_token: string;
  token_type: string;
  expiresAt: string;
  scope?: string;
}
interface Connection {
  servicename: string;
  kind: string;
  state: string;
  scope?: string;
  expiresAt?: string;
  connectedAt: string;
  updatedAt: string;
}

/** What a test needs of one token-storage: its URL and the provider its services use. */
function client(url: () => string, provider: () => TestProvider) {
  return {
    async register(servicename: string, overrides: Record<string, unknown> = {}) {
      const p = provider();
      const answer = await call(`${url()}/service`, {
        method: 'POST',
        headers: asOperator,
        json: {
          servicename,
          authorize_url: p.authorizeUrl,
          refresh_url: p.tokenUrl,
          client_id: p.clientId,
          client_secret: p.clientSecret,
          scope: 'openid offline_access',
          implements: ['fileStorage', 'repository'],
          ...overrides,
        },
      });
      expect(answer.status, answer.text).toBe(200);
    },
    /** The user authorizes at the provider; port-service hands the code to token-storage. */
    async connect(servicename: string, user: string, base = url()): Promise<Answer> {
      const { code, redirectUri, codeVerifier } = await provider().authorize(user);
      return exchange(base, servicename, user, {
        code,
        redirect_uri: redirectUri,
        code_verifier: codeVerifier,
      });
    },
    token: (servicename: string, user: string, base = url()) =>
      call(`${base}/connections/${servicename}/token`, { headers: asPort(servicename, user) }),
    refresh: (servicename: string, user: string, rejected: string) =>
      call(`${url()}/connections/${servicename}/token/refresh`, {
        method: 'POST',
        headers: asPort(servicename, user),
        json: { rejected_access_token: rejected },
      }),
    connection: (servicename: string, user: string) =>
      call(`${url()}/connections/${servicename}`, { headers: asPortService(user) }),
    async connections(user: string): Promise<Connection[]> {
      const answer = await call(`${url()}/connections`, { headers: asPortService(user) });
      expect(answer.status).toBe(200);
      return answer.json<{ connections: Connection[] }>().connections;
    },
  };
}

function exchange(base: string, servicename: string, user: string, body: Record<string, string>) {
  return call(`${base}/connections/${servicename}/authorization-code`, {
    method: 'POST',
    headers: asPortService(user),
    json: body,
  });
}

function expectProblem(answer: Answer, status: number, messageKey: string) {
  expect(answer.status, answer.text).toBe(status);
  expect(answer.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(answer.json<{ messageKey: string }>().messageKey).toBe(messageKey);
}

/** Waits until a token expiring at `expiresAt` is within the refresh margin. */
async function untilExpiring(expiresAt: string): Promise<void> {
  const wait = new Date(expiresAt).getTime() - MARGIN_S * 1000 - Date.now() + 100;
  expect(wait).toBeLessThan(5_000);
  if (wait > 0) await sleep(wait);
}

let provider: TestProvider;
beforeAll(async () => {
  provider = await startProvider({ accessTokenTtl: LONG_TTL_S });
});
afterAll(() => provider?.close());
afterEach(() => {
  provider.setAccessTokenTtl(LONG_TTL_S);
  provider.setTokenDelay(0);
  expect(provider.serverErrors).toEqual([]);
});

describe.each(BACKENDS)('OAuth2 against a real provider, on %s', (backend) => {
  let store: TokenStorage;
  const ts = client(
    () => store.url,
    () => provider,
  );
  // One provider serves both backends: users are named per backend.
  const user = (name: string) => `${backend}-${name}-${randomBytes(3).toString('hex')}`;
  const SVC = 'port-oidc';

  beforeAll(async () => {
    store = await startTokenStorage(backend, { RDS_TOKEN_REFRESH_MARGIN_S: String(MARGIN_S) });
    await ts.register(SVC, { revocation_url: provider.revocationUrl });
  });
  afterAll(() => store?.dispose());

  test('a real code (with its PKCE verifier) connects the user, and the port gets a token the provider accepts', async () => {
    const alice = user('alice');
    const codesBefore = provider.grants('authorization_code');
    const answer = await ts.connect(SVC, alice);
    expect(answer.status, answer.text).toBe(200);
    const connection = answer.json<Connection>();
    expect(connection).toMatchObject({
      servicename: SVC,
      kind: 'oauth2',
      state: 'connected',
      scope: 'openid offline_access',
    });
    expect(new Date(connection.expiresAt!).getTime()).toBeGreaterThan(Date.now() + 250_000);
    expect(provider.grants('authorization_code')).toBe(codesBefore + 1);
    expect(await ts.connections(alice)).toEqual([connection]);

    const refreshesBefore = provider.grants('refresh_token');
    const token = await ts.token(SVC, alice);
    expect(token.status, token.text).toBe(200);
    const body = token.json<Token>();
    expect(body).toMatchObject({ servicename: SVC, kind: 'oauth2', token_type: 'Bearer' });
    expect(await provider.userinfo(body.access_token)).toBe(alice);
    // Far from expiry: handed out as stored.
    expect(provider.grants('refresh_token')).toBe(refreshesBefore);
    // Only the port itself reads its tokens.
    const foreign = await call(`${store.url}/connections/${SVC}/token`, {
      headers: asPortService(alice),
    });
    expectProblem(foreign, 403, 'auth.forbidden');
  });

  test('a replayed code is refused with 400 oauth.codeRefused and changes nothing', async () => {
    const bob = user('bob');
    const authorization = await provider.authorize(bob);
    const body = {
      code: authorization.code,
      redirect_uri: authorization.redirectUri,
      code_verifier: authorization.codeVerifier,
    };
    const first = await exchange(store.url, SVC, bob, body);
    expect(first.status, first.text).toBe(200);
    const tokenBefore = (await ts.token(SVC, bob)).json<Token>();
    const refusedBefore = provider.refusals('invalid_grant').length;

    const again = await exchange(store.url, SVC, bob, body);
    expectProblem(again, 400, 'oauth.codeRefused');
    expect(provider.refusals('invalid_grant')).toHaveLength(refusedBefore + 1);
    expect(await ts.connections(bob)).toEqual([first.json<Connection>()]);
    expect((await ts.token(SVC, bob)).json<Token>()).toEqual(tokenBefore);
  });

  test('a wrong PKCE verifier or redirect URI is refused like a bad code, and connects nobody', async () => {
    const carol = user('carol');
    const authorization = await provider.authorize(carol);
    const wrongVerifier = await exchange(store.url, SVC, carol, {
      code: authorization.code,
      redirect_uri: authorization.redirectUri,
      code_verifier: randomBytes(32).toString('base64url'),
    });
    expectProblem(wrongVerifier, 400, 'oauth.codeRefused');
    const other = await provider.authorize(carol);
    const wrongRedirect = await exchange(store.url, SVC, carol, {
      code: other.code,
      redirect_uri: 'https://elsewhere.example/callback',
      code_verifier: other.codeVerifier,
    });
    expectProblem(wrongRedirect, 400, 'oauth.codeRefused');
    expect(await ts.connections(carol)).toEqual([]);
  });

  test('a token about to expire is refreshed once, however many ask at once; the new one works', async () => {
    const dave = user('dave');
    provider.setAccessTokenTtl(MARGIN_S + 2);
    expect((await ts.connect(SVC, dave)).status).toBe(200);
    provider.setAccessTokenTtl(LONG_TTL_S);
    const refreshesBefore = provider.grants('refresh_token');
    const callsBefore = provider.calls.length;
    const first = (await ts.token(SVC, dave)).json<Token>();
    // Not yet within the margin: handed out as stored.
    expect(provider.grants('refresh_token')).toBe(refreshesBefore);

    await untilExpiring(first.expiresAt);
    const answers = await Promise.all(Array.from({ length: 20 }, () => ts.token(SVC, dave)));
    expect(answers.map((a) => a.status)).toEqual(answers.map(() => 200));
    const tokens = new Set(answers.map((a) => a.json<Token>().access_token));
    expect(tokens.size).toBe(1);
    const [renewed] = [...tokens] as [string];
    expect(renewed).not.toBe(first.access_token);
    // One refresh in all, whichever request did it.
    expect(provider.grants('refresh_token')).toBe(refreshesBefore + 1);
    expect(await provider.userinfo(renewed)).toBe(dave);
    const after = answers[0]!.json<Token>();
    expect(new Date(after.expiresAt).getTime()).toBeGreaterThan(Date.now() + 250_000);
    const [connection] = await ts.connections(dave);
    expect(connection).toMatchObject({ state: 'connected', expiresAt: after.expiresAt });
    expect(provider.refusals(undefined, callsBefore)).toEqual([]);
  });

  test('a refused refresh answers 409 connection.needsReconnection and keeps the connection, marked', async () => {
    const erin = user('erin');
    provider.setAccessTokenTtl(MARGIN_S + 2);
    expect((await ts.connect(SVC, erin)).status).toBe(200);
    provider.setAccessTokenTtl(LONG_TTL_S);
    const stale = (await ts.token(SVC, erin)).json<Token>();
    // The user withdraws RDS's access at the provider.
    await provider.revokeGrants(erin);
    const refusedBefore = provider.refusals('invalid_grant').length;

    await untilExpiring(stale.expiresAt);
    expectProblem(await ts.token(SVC, erin), 409, 'connection.needsReconnection');
    expect(provider.refusals('invalid_grant')).toHaveLength(refusedBefore + 1);
    const [connection] = await ts.connections(erin);
    expect(connection).toMatchObject({ servicename: SVC, state: 'needs-reconnection' });
    expect((await ts.connection(SVC, erin)).json()).toMatchObject({ state: 'needs-reconnection' });
    // Asked again, it answers the same without bothering the provider.
    expectProblem(await ts.token(SVC, erin), 409, 'connection.needsReconnection');
    expectProblem(
      await ts.refresh(SVC, erin, stale.access_token),
      409,
      'connection.needsReconnection',
    );
    expect(provider.refusals('invalid_grant')).toHaveLength(refusedBefore + 1);

    // Connecting again repairs it.
    const again = await ts.connect(SVC, erin);
    expect(again.json()).toMatchObject({ state: 'connected' });
    const token = (await ts.token(SVC, erin)).json<Token>();
    expect(await provider.userinfo(token.access_token)).toBe(erin);
  });

  test('POST …/token/refresh refreshes for the current token only: one refresh for many rejections', async () => {
    const frank = user('frank');
    expect((await ts.connect(SVC, frank)).status).toBe(200);
    const current = (await ts.token(SVC, frank)).json<Token>().access_token;
    const refreshesBefore = provider.grants('refresh_token');
    const callsBefore = provider.calls.length;

    const renewed = await ts.refresh(SVC, frank, current);
    expect(renewed.status, renewed.text).toBe(200);
    const next = renewed.json<Token>().access_token;
    expect(next).not.toBe(current);
    expect(provider.grants('refresh_token')).toBe(refreshesBefore + 1);
    expect(await provider.userinfo(next)).toBe(frank);

    // The old token again (a slower caller rejected at the same time): no refresh, the current one.
    const late = await ts.refresh(SVC, frank, current);
    expect(late.json<Token>().access_token).toBe(next);
    expect(provider.grants('refresh_token')).toBe(refreshesBefore + 1);
    expect((await ts.token(SVC, frank)).json<Token>().access_token).toBe(next);

    // Ten callers rejected with the same token at once: one refresh, one new token for all.
    const all = await Promise.all(Array.from({ length: 10 }, () => ts.refresh(SVC, frank, next)));
    expect(all.map((a) => a.status)).toEqual(all.map(() => 200));
    const tokens = new Set(all.map((a) => a.json<Token>().access_token));
    expect(tokens.size).toBe(1);
    expect(tokens.has(next)).toBe(false);
    expect(provider.grants('refresh_token')).toBe(refreshesBefore + 2);
    expect(provider.refusals(undefined, callsBefore)).toEqual([]);
  });

  test('DELETE revokes the tokens at the provider when a revocation_url is registered, and not otherwise', async () => {
    const grace = user('grace');
    expect((await ts.connect(SVC, grace)).status).toBe(200);
    const token = (await ts.token(SVC, grace)).json<Token>().access_token;
    const revocationsBefore = provider.calls.filter((c) => c.endpoint === 'revocation').length;

    const gone = await call(`${store.url}/connections/${SVC}`, {
      method: 'DELETE',
      headers: asPortService(grace),
    });
    expect(gone.status, gone.text).toBe(204);
    const revocations = provider.calls
      .filter((c) => c.endpoint === 'revocation')
      .slice(revocationsBefore);
    expect(revocations.map((c) => [c.grantType, c.status]).sort()).toEqual([
      ['access_token', 200],
      ['refresh_token', 200],
    ]);
    expect(await provider.userinfo(token)).toBeUndefined();
    expectProblem(await ts.connection(SVC, grace), 404, 'connection.notFound');

    // A service registered without revocation: the connection goes, the provider hears nothing.
    await ts.register('port-norevoke');
    expect((await ts.connect('port-norevoke', grace)).status).toBe(200);
    const kept = (await ts.token('port-norevoke', grace)).json<Token>().access_token;
    const callsBefore = provider.calls.length;
    const deleted = await call(`${store.url}/connections/port-norevoke`, {
      method: 'DELETE',
      headers: asPortService(grace),
    });
    expect(deleted.status).toBe(204);
    expect(provider.calls.length).toBe(callsBefore);
    expect(await provider.userinfo(kept)).toBe(grace);
  });

  test('the code exchange (and refresh) authenticates with the current client secret', async () => {
    const rotating = await startProvider({ clientId: `rotating-${backend}` });
    try {
      const rt = client(
        () => store.url,
        () => rotating,
      );
      const heidi = user('heidi');
      const oldSecret = rotating.clientSecret;
      await rt.register('port-rotating');
      expect((await rt.connect('port-rotating', heidi)).status).toBe(200);

      // The provider rotates the secret; the registration still holds the old one.
      rotating.setClientSecret(`rotated-${randomBytes(16).toString('hex')}`);
      expect(rotating.clientSecret).not.toBe(oldSecret);
      expectProblem(await rt.connect('port-rotating', heidi), 502, 'oauth.clientRefused');
      expect(rotating.calls.at(-1)).toMatchObject({
        grantType: 'authorization_code',
        status: 401,
        error: 'invalid_client',
      });

      // The port registers again with the new secret: it takes effect at once.
      await rt.register('port-rotating');
      const connected = await rt.connect('port-rotating', heidi);
      expect(connected.status, connected.text).toBe(200);
      expect(rotating.calls.at(-1)).toMatchObject({
        grantType: 'authorization_code',
        status: 200,
      });
      const token = (await rt.token('port-rotating', heidi)).json<Token>().access_token;
      const refreshed = await rt.refresh('port-rotating', heidi, token);
      expect(refreshed.status, refreshed.text).toBe(200);
      expect(rotating.calls.at(-1)).toMatchObject({ grantType: 'refresh_token', status: 200 });
      expect(await rotating.userinfo(refreshed.json<Token>().access_token)).toBe(heidi);
      expect(rotating.serverErrors).toEqual([]);
    } finally {
      await rotating.close();
    }
  });
});

describe('the refresh race: two token-storage processes on one PostgreSQL database', () => {
  const schema = `ts_race_${randomBytes(6).toString('hex')}`;
  const processes: ServedProcess[] = [];
  const SVC = 'port-race';
  const ts = client(
    () => processes[0]!.url,
    () => provider,
  );

  beforeAll(async () => {
    const env = {
      DATABASE_URL,
      RDS_DATABASE_SCHEMA: schema,
      RDS_SERVICE_SECRET: TEST_SECRET,
      RDS_ENCRYPTION_KEY: generateKey(),
      RDS_TOKEN_REFRESH_MARGIN_S: String(MARGIN_S),
      RDS_VALIDATE_RESPONSES: 'true',
    };
    // Both at once: they also race to create the schema and migrate it.
    const started = await Promise.allSettled([
      serveService('token-storage', env),
      serveService('token-storage', env),
    ]);
    for (const result of started) if (result.status === 'fulfilled') processes.push(result.value);
    const failed = started.find((r) => r.status === 'rejected');
    if (failed) throw (failed as PromiseRejectedResult).reason;
  }, 60_000);
  afterAll(async () => {
    const codes = await Promise.all(processes.map((p) => p.stop()));
    expect(codes).toEqual(processes.map(() => 0));
    await dropSchema(schema);
  }, 30_000);

  test('50 concurrent GET …/token across both on an expiring token: one refresh, one new token for all', async (context) => {
    const [a, b] = processes as [ServedProcess, ServedProcess];
    expect(a.pid).not.toBe(b.pid);
    const ivan = `race-ivan-${randomBytes(3).toString('hex')}`;
    await ts.register(SVC);
    // Connected through B with a token that is already within the refresh margin.
    provider.setAccessTokenTtl(MARGIN_S - 10);
    const connected = await ts.connect(SVC, ivan, b.url);
    expect(connected.status, connected.text).toBe(200);
    provider.setAccessTokenTtl(LONG_TTL_S);
    const refreshesBefore = provider.grants('refresh_token');
    const callsBefore = provider.calls.length;
    // A provider slow to answer: all 50 requests are in flight while the refresh is under way.
    provider.setTokenDelay(300);

    const requests = Array.from({ length: 50 }, (_, i) => (i % 2 === 0 ? a : b));
    const started = Date.now();
    const answers = await Promise.all(requests.map((p) => ts.token(SVC, ivan, p.url)));
    const elapsed = Date.now() - started;

    const statuses = answers.map((answer) => answer.status);
    const tokens = new Set(answers.map((answer) => answer.json<Token>().access_token));
    const refreshGrants = provider.grants('refresh_token') - refreshesBefore;
    const newCalls = provider.calls.slice(callsBefore);
    context.annotate(
      `requests ${answers.length} (${requests.filter((p) => p === a).length} to A, ${requests.filter((p) => p === b).length} to B), ` +
        `200s ${statuses.filter((s) => s === 200).length}, refresh grants ${refreshGrants}, ` +
        `token-endpoint calls ${newCalls.length}, distinct tokens ${tokens.size}, ${elapsed} ms`,
    );
    expect(statuses).toEqual(answers.map(() => 200));
    expect(refreshGrants).toBe(1);
    expect(newCalls).toEqual([
      {
        endpoint: 'token',
        grantType: 'refresh_token',
        status: 200,
        error: undefined,
        clientId: provider.clientId,
      },
    ]);
    expect(tokens.size).toBe(1);
    const [token] = [...tokens] as [string];
    expect(await provider.userinfo(token)).toBe(ivan);
    expect(provider.refusals(undefined, callsBefore)).toEqual([]);
    for (const p of processes) expect(p.output()).not.toContain('invalid_grant');
    for (const p of processes) expect(p.output()).not.toMatch(/"level":(50|60)/);

    // Both processes now hand out the new token without asking the provider again.
    for (const p of processes) {
      expect((await ts.token(SVC, ivan, p.url)).json<Token>().access_token).toBe(token);
    }
    expect(provider.grants('refresh_token') - refreshesBefore).toBe(1);
    const [connection] = await ts.connections(ivan);
    expect(connection).toMatchObject({ servicename: SVC, state: 'connected' });
  });

  test('tokens that live shorter than the margin: concurrent requests on both still cause one refresh', async (context) => {
    const [a, b] = processes as [ServedProcess, ServedProcess];
    const judy = `race-judy-${randomBytes(3).toString('hex')}`;
    // Every token the provider issues now is "expiring" the moment it is stored.
    provider.setAccessTokenTtl(MARGIN_S - 10);
    expect((await ts.connect(SVC, judy, a.url)).status).toBe(200);
    const refreshesBefore = provider.grants('refresh_token');
    const callsBefore = provider.calls.length;
    // A slow provider: every request has read the expiring token before the refresh is stored.
    provider.setTokenDelay(1000);
    // Fewer than each process's pool of 10 connections: no request waits for one to read.
    const requests = Array.from({ length: 16 }, (_, i) => (i % 2 === 0 ? a : b));
    const answers = await Promise.all(requests.map((p) => ts.token(SVC, judy, p.url)));
    const tokens = new Set(answers.map((answer) => answer.json<Token>().access_token));
    const refreshGrants = provider.grants('refresh_token') - refreshesBefore;
    context.annotate(
      `short-lived tokens: requests ${answers.length}, refresh grants ${refreshGrants}, distinct tokens ${tokens.size}`,
    );
    expect(answers.map((answer) => answer.status)).toEqual(answers.map(() => 200));
    expect(refreshGrants).toBe(1);
    expect(tokens.size).toBe(1);
    expect(await provider.userinfo([...tokens][0]!)).toBe(judy);
    expect(provider.refusals(undefined, callsBefore)).toEqual([]);
  });
});
