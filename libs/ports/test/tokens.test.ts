import { afterEach, beforeAll, expect, test, vi } from 'vitest';
import { serviceContract } from '@rds/contracts';
import {
  ContractClient,
  ProblemError,
  runWithContext,
  UpstreamError,
  type CallOptions,
  type HttpClient,
} from '@rds/kit';
import { startTracing } from '@rds/kit/host';
import { UserTokens, type TokenStorage, type UserToken } from '../src/index.ts';

/**
 * webdav's UserTokens over token-storage as its typed client calls it: each read answers the
 * next token, or throws what the client throws for token-storage's answer, and is counted.
 */
async function tokensOf(next: () => UserToken) {
  const reads: string[] = [];
  const http = {
    relay: async (call: CallOptions) => {
      reads.push(`${call.method ?? 'GET'} ${call.path}`);
      return { status: 200, headers: {}, body: next() };
    },
  } as unknown as HttpClient;
  const tokenStorage: TokenStorage = await ContractClient.of(
    http,
    serviceContract('token-storage'),
  );
  return { tokens: new UserTokens(tokenStorage, 'webdav', noConnection), reads };
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
  const { tokens, reads } = await tokensOf(() => oauth2());
  const first = await as('ada', () => tokens.current());
  for (let i = 0; i < 5; i++) expect(await as('ada', () => tokens.current())).toBe(first);
  expect(reads).toHaveLength(1);
  expect(await as('bob', () => tokens.current())).not.toBe(first);
  expect(await as('ada', () => tokens.current(), 'other')).not.toBe(first);
  expect(reads).toHaveLength(3);
});

test('a token is read again after 30 s, and never kept into its last 30 s', async () => {
  vi.useFakeTimers();
  const { tokens, reads } = await tokensOf(() => oauth2(45_000));
  const first = await as('ada', () => tokens.current());
  vi.advanceTimersByTime(14_000);
  expect(await as('ada', () => tokens.current())).toBe(first);
  vi.advanceTimersByTime(2_000);
  expect(await as('ada', () => tokens.current())).not.toBe(first);
  expect(reads).toHaveLength(2);
  const { tokens: expiring, reads: soonReads } = await tokensOf(() => oauth2(20_000));
  await as('ada', () => expiring.current());
  await as('ada', () => expiring.current());
  expect(soonReads).toHaveLength(2);
});

test('after a 401 the kept token is dropped: the refreshed one serves the calls after', async () => {
  const { tokens, reads } = await tokensOf(() => oauth2());
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
  const { tokens, reads } = await tokensOf(() => ({
    servicename: 'webdav',
    kind: 'credentials',
    userId: 'ada',
    password,
  }));
  const rejected = await as('ada', () => tokens.current());
  password = 'new';
  expect((await as('ada', () => tokens.afterRejection(rejected))).password).toBe('new');
  expect((await as('ada', () => tokens.current())).password).toBe('new');
  expect(reads).toHaveLength(2);
});

test('outside a call for a user nothing is kept', async () => {
  const { tokens, reads } = await tokensOf(() => oauth2());
  await tokens.current();
  await tokens.current();
  expect(reads).toHaveLength(2);
});

/** What reading a token throws when token-storage's client throws `error`. */
async function refusedWith(error: Error) {
  const { tokens } = await tokensOf(() => {
    throw error;
  });
  const thrown = await as('ada', () => tokens.current()).then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  return { tokens, thrown };
}

test("token-storage's 404 or 409 is the port's no connection; any other refusal is token-storage failing", async () => {
  const problem = (status: number) =>
    new ProblemError(status, { detail: 'No connection.', messageKey: 'connection.notFound' });
  for (const error of [problem(404), problem(409), new UpstreamError('token-storage', 404)]) {
    const { tokens, thrown } = await refusedWith(error);
    expect(thrown, error.message).toEqual(new Error('connect again'));
    expect(tokens.isNoConnection(thrown)).toBe(true);
  }
  const { tokens, thrown } = await refusedWith(problem(403));
  expect(thrown).toBeInstanceOf(UpstreamError);
  expect(thrown).toMatchObject({ statusCode: 502, upstreamStatus: 403 });
  expect(tokens.isNoConnection(thrown)).toBe(false);
  const unavailable = new UpstreamError('token-storage', 503);
  expect((await refusedWith(unavailable)).thrown).toBe(unavailable);
});
