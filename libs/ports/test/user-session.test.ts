import { expect, test } from 'vitest';
import { REFUSED, UserSession, type UserToken, type UserTokens } from '../src/index.ts';

const token = (access_token: string): UserToken => ({
  servicename: 'demo',
  kind: 'oauth2',
  access_token,
});
const refusal = () => new Error('connect demo again');
const missing = new Error('no connection to demo');

/** Tokens as token-storage gives them: `stored` first, then each of `renewals` after a refusal. */
function tokensOf(stored: UserToken, ...renewals: (UserToken | Error)[]) {
  const asked: string[] = [];
  const tokens = {
    current: async () => {
      asked.push('current');
      return stored;
    },
    afterRejection: async (rejected: UserToken) => {
      asked.push(`renew ${rejected.access_token}`);
      const next = renewals.shift();
      if (next instanceof Error) throw next;
      return next!;
    },
    isNoConnection: (error: unknown) => error === missing,
  } as unknown as UserTokens;
  return { tokens, asked };
}

/** A service that refuses every token but `good`, and counts the calls. */
function service(good: string) {
  const calls: string[] = [];
  const call = async ({ access_token }: UserToken) => {
    calls.push(access_token!);
    return access_token === good ? 'done' : REFUSED;
  };
  return { call, calls };
}

test('a refused token is renewed once and the call made again with the new one', async () => {
  const { tokens, asked } = tokensOf(token('old'), token('new'));
  const { call, calls } = service('new');
  const session = new UserSession(tokens, refusal);
  expect(await session.send(call)).toBe('done');
  expect(calls).toEqual(['old', 'new']);
  expect(asked).toEqual(['current', 'renew old']);
  expect(await session.send(call)).toBe('done');
  expect(asked).toHaveLength(2);
});

test('refused again after the renewal: the user must connect again', async () => {
  const { tokens } = tokensOf(token('old'), token('new'));
  const { call, calls } = service('none');
  await expect(new UserSession(tokens, refusal).send(call)).rejects.toThrow('connect demo again');
  expect(calls).toEqual(['old', 'new']);
});

test('a renewal that gives the same token is not tried again', async () => {
  const { tokens } = tokensOf(token('old'), token('old'));
  const { call, calls } = service('none');
  await expect(new UserSession(tokens, refusal).send(call)).rejects.toThrow('connect demo again');
  expect(calls).toEqual(['old']);
});

test('a call that cannot be repeated (a streamed body) is not renewed', async () => {
  const { tokens, asked } = tokensOf(token('old'), token('new'));
  const { call, calls } = service('new');
  await expect(new UserSession(tokens, refusal).send(call, false)).rejects.toThrow(
    'connect demo again',
  );
  expect(calls).toEqual(['old']);
  expect(asked).toEqual(['current']);
});

test('no connection left when renewing: the refusal is what the user reads', async () => {
  const { tokens } = tokensOf(token('old'), missing);
  const { call } = service('new');
  await expect(new UserSession(tokens, refusal).send(call)).rejects.toThrow('connect demo again');
});

test('one renewal per session: a later refusal is final', async () => {
  const { tokens, asked } = tokensOf(token('old'), token('new'), token('newer'));
  let good = 'new';
  const session = new UserSession(tokens, refusal);
  const call = async ({ access_token }: UserToken) => (access_token === good ? 'done' : REFUSED);
  expect(await session.send(call)).toBe('done');
  good = 'newer';
  await expect(session.send(call)).rejects.toThrow('connect demo again');
  expect(asked).toEqual(['current', 'renew old']);
});

test('the token is read at the first call, not before', async () => {
  const { tokens, asked } = tokensOf(token('old'));
  const session = new UserSession(tokens, refusal);
  expect(asked).toEqual([]);
  await UserSession.open(tokens, refusal);
  expect(asked).toEqual(['current']);
  expect((await session.token()).access_token).toBe('old');
});
