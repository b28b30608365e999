import { afterEach, beforeAll, expect, test, vi } from 'vitest';
import { runWithContext, startTracing, UpstreamError, type HttpClient } from '@rds/kit';
import { UserTokens, type UserToken } from '../src/index.ts';

/** token-storage as UserTokens calls it: each read answers the next token, and is counted. */
function tokenStorage(next: () => UserToken) {
  const reads: string[] = [];
  const client = {
    json: async (call: { method?: string; path: string }) => {
      reads.push(`${call.method ?? 'GET'} ${call.path}`);
      return next();
    },
  } as unknown as HttpClient;
  return { client, reads };
}

let issued = 0;
const oauth2 = (expiresInMs = 3_600_000): UserToken => ({
  servicename: 'webdav',
  kind: 'oauth2',
  access_token: `token-${++issued}`,
  expiresAt: new Date(Date.now() + expiresInMs).toISOString(),
});
const noConnection = () => new Error('connect again');
const as = <T>(user: string, fn: () => Promise<T>, tenant = 'default') =>
  runWithContext({ tenant, user, requestId: 'test' }, fn);

beforeAll(() => startTracing({ serviceName: 'ports-test', version: '0' }));
afterEach(() => vi.useRealTimers());

test('a burst of calls for one user reads the token once; another user or tenant reads its own', async () => {
  const { client, reads } = tokenStorage(() => oauth2());
  const tokens = new UserTokens(client, 'webdav', noConnection);
  const first = await as('ada', () => tokens.current());
  for (let i = 0; i < 5; i++) expect(await as('ada', () => tokens.current())).toBe(first);
  expect(reads).toHaveLength(1);
  expect(await as('bob', () => tokens.current())).not.toBe(first);
  expect(await as('ada', () => tokens.current(), 'other')).not.toBe(first);
  expect(reads).toHaveLength(3);
});

test('a token is read again after 30 s, and never kept into its last 30 s', async () => {
  vi.useFakeTimers();
  const { client, reads } = tokenStorage(() => oauth2(45_000));
  const tokens = new UserTokens(client, 'webdav', noConnection);
  const first = await as('ada', () => tokens.current());
  vi.advanceTimersByTime(14_000);
  expect(await as('ada', () => tokens.current())).toBe(first);
  vi.advanceTimersByTime(2_000);
  expect(await as('ada', () => tokens.current())).not.toBe(first);
  expect(reads).toHaveLength(2);
  const { client: soon, reads: soonReads } = tokenStorage(() => oauth2(20_000));
  const expiring = new UserTokens(soon, 'webdav', noConnection);
  await as('ada', () => expiring.current());
  await as('ada', () => expiring.current());
  expect(soonReads).toHaveLength(2);
});

test('after a 401 the kept token is dropped: the refreshed one serves the calls after', async () => {
  const { client, reads } = tokenStorage(() => oauth2());
  const tokens = new UserTokens(client, 'webdav', noConnection);
  const rejected = await as('ada', () => tokens.current());
  const fresh = await as('ada', () => tokens.afterRejection(rejected));
  expect(fresh).not.toBe(rejected);
  expect(await as('ada', () => tokens.current())).toBe(fresh);
  expect(reads).toEqual([
    'GET /connections/webdav/token',
    'POST /connections/webdav/token/refresh',
  ]);
});

test('refused credentials are read again, not kept', async () => {
  let password = 'old';
  const { client, reads } = tokenStorage(() => ({
    servicename: 'webdav',
    kind: 'credentials',
    userId: 'ada',
    password,
  }));
  const tokens = new UserTokens(client, 'webdav', noConnection);
  const rejected = await as('ada', () => tokens.current());
  password = 'new';
  expect((await as('ada', () => tokens.afterRejection(rejected))).password).toBe('new');
  expect((await as('ada', () => tokens.current())).password).toBe('new');
  expect(reads).toHaveLength(2);
});

test('outside a call for a user nothing is kept; no connection is the problem given', async () => {
  const { client, reads } = tokenStorage(() => oauth2());
  const tokens = new UserTokens(client, 'webdav', noConnection);
  await tokens.current();
  await tokens.current();
  expect(reads).toHaveLength(2);
  const missing = new UserTokens(
    tokenStorage(() => {
      throw new UpstreamError('token-storage', 404);
    }).client,
    'webdav',
    noConnection,
  );
  await expect(as('ada', () => missing.current())).rejects.toThrow('connect again');
});
