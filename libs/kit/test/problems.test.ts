import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { createSigner } from 'fast-jwt';
import {
  bearer,
  startTestService,
  TEST_SECRET,
  type RunningService,
  call,
  type Answer,
} from '../src/testing.ts';
import { probe } from './probe-service.ts';

let alpha: RunningService;
const asBeta = bearer({ issuer: 'beta', audience: 'alpha' });

beforeAll(async () => {
  alpha = await startTestService(probe('alpha'), { RDS_BODY_LIMIT: '2048' });
});
afterAll(() => alpha.close());
// Whatever went wrong before, the service keeps serving.
afterEach(async () => {
  expect((await call(`${alpha.url}/items/1`, { headers: asBeta })).status).toBe(200);
});

function expectProblem(answer: Answer, status: number, messageKey: string) {
  expect(answer.status).toBe(status);
  expect(answer.headers['content-type']).toMatch(/^application\/problem\+json/);
  const problem = answer.json();
  expect(problem).toMatchObject({
    type: 'about:blank',
    status,
    messageKey,
    title: expect.any(String),
    detail: expect.any(String),
  });
  expect(problem.instance).toMatch(/^\//);
  expect(problem.traceId).toMatch(/^[0-9a-f]{32}$/);
  return problem;
}

describe('bad requests get problem+json with the right status', () => {
  test('unknown route: 404', async () => {
    const problem = expectProblem(
      await call(`${alpha.url}/nowhere`, { headers: asBeta }),
      404,
      'request.notFound',
    );
    expect(problem.detail).toContain('/nowhere');
  });

  test('wrong method: 405 with Allow', async () => {
    const answer = await call(`${alpha.url}/items/1`, { method: 'PATCH', headers: asBeta });
    expectProblem(answer, 405, 'request.methodNotAllowed');
    expect(answer.headers.allow).toBe('GET, DELETE');
  });

  test('oversize body: 413', async () => {
    const json = { title: 'x', count: 1, tags: Array.from({ length: 400 }, () => 'abcdefgh') };
    expectProblem(
      await call(`${alpha.url}/echo`, { method: 'POST', headers: asBeta, json }),
      413,
      'request.tooLarge',
    );
  });

  test('wrong content type: 415', async () => {
    const answer = await call(`${alpha.url}/echo`, {
      method: 'POST',
      headers: { ...asBeta, 'content-type': 'application/xml' },
      body: '<echo/>',
    });
    expectProblem(answer, 415, 'request.unsupportedMediaType');
  });

  test('malformed JSON: 400', async () => {
    const answer = await call(`${alpha.url}/echo`, {
      method: 'POST',
      headers: { ...asBeta, 'content-type': 'application/json' },
      body: '{"title": "x",',
    });
    expectProblem(answer, 400, 'request.malformed');
  });

  test('invalid body: 400 with errors [{detail, pointer}]', async () => {
    const answer = await call(`${alpha.url}/echo`, {
      method: 'POST',
      headers: asBeta,
      json: { title: 'x' },
    });
    const problem = expectProblem(answer, 400, 'request.invalid');
    expect(problem.errors).toEqual([
      { detail: expect.stringContaining("'count'"), pointer: '#/count' },
    ]);
  });

  test('a handler problem keeps its status, key and arguments', async () => {
    const problem = expectProblem(
      await call(`${alpha.url}/items/404`, { headers: asBeta }),
      404,
      'item.notFound',
    );
    expect(problem.args).toEqual({ id: 404 });
    expect(problem.detail).toBe('There is no item 404.');
  });

  test('a failing handler: 500 without internals', async () => {
    const answer = await call(`${alpha.url}/fail`, { headers: asBeta });
    expectProblem(answer, 500, 'internal');
    for (const leak of ['hunter2', 'secret.ts', '/srv', 'Error:', 'stack', '    at '])
      expect(answer.text).not.toContain(leak);
  });
});

describe('service-to-service authentication', () => {
  const sign = (claims: Record<string, unknown>, key = TEST_SECRET) =>
    `Bearer ${createSigner({ key, algorithm: 'HS256' })(claims)}`;
  const now = () => Math.floor(Date.now() / 1000);

  test('no token: 401 with WWW-Authenticate', async () => {
    const answer = await call(`${alpha.url}/items/1`);
    expectProblem(answer, 401, 'auth.unauthorized');
    expect(answer.headers['www-authenticate']).toContain('Bearer');
  });

  test('a call without a token is refused before its body is read, whatever the body', async () => {
    const oversize = { title: 'x', count: 1, tags: Array.from({ length: 400 }, () => 'abcdefgh') };
    for (const body of [{ json: oversize }, { json: { count: 'many' } }]) {
      const answer = await call(`${alpha.url}/echo`, { method: 'POST', ...body });
      expectProblem(answer, 401, 'auth.unauthorized');
    }
  });

  test('a token signed with another key: 401', async () => {
    const authorization = sign(
      { iss: 'beta', aud: 'alpha', iat: now(), exp: now() + 60 },
      'x'.repeat(64),
    );
    expectProblem(
      await call(`${alpha.url}/items/1`, { headers: { authorization } }),
      401,
      'auth.unauthorized',
    );
  });

  test('an expired token: 401', async () => {
    const authorization = sign({ iss: 'beta', aud: 'alpha', iat: now() - 200, exp: now() - 100 });
    const problem = expectProblem(
      await call(`${alpha.url}/items/1`, { headers: { authorization } }),
      401,
      'auth.unauthorized',
    );
    expect(problem.detail).toContain('expired');
  });

  test('a token living longer than five minutes: 401', async () => {
    const authorization = sign({ iss: 'beta', aud: 'alpha', iat: now(), exp: now() + 3600 });
    expectProblem(
      await call(`${alpha.url}/items/1`, { headers: { authorization } }),
      401,
      'auth.unauthorized',
    );
  });

  test('a token for another service: 403', async () => {
    const headers = bearer({ issuer: 'beta', audience: 'gamma' });
    expectProblem(await call(`${alpha.url}/items/1`, { headers }), 403, 'auth.forbidden');
  });

  test('a caller the contract does not allow: 403', async () => {
    const headers = bearer({ issuer: 'gamma', audience: 'alpha' });
    expectProblem(
      await call(`${alpha.url}/items/1`, { method: 'DELETE', headers }),
      403,
      'auth.forbidden',
    );
    expect((await call(`${alpha.url}/items/1`, { method: 'DELETE', headers: asBeta })).status).toBe(
      204,
    );
  });

  test('an X-Tenant header that contradicts the token: 403', async () => {
    const headers = {
      ...bearer({ issuer: 'beta', audience: 'alpha', tenant: 'uni-a' }),
      'x-tenant': 'uni-b',
    };
    expectProblem(await call(`${alpha.url}/items/1`, { headers }), 403, 'auth.forbidden');
  });

  test('an operation a service opens to anonymous calls still checks a token that is sent', async () => {
    const open = await startTestService(probe('alpha'), {
      PROBE_ANONYMOUS_OPERATIONS: 'echo',
    });
    try {
      const json = { title: 'x', count: 1 };
      const anonymous = await call(`${open.url}/echo`, { method: 'POST', json });
      expect(anonymous.status).toBe(200);
      expect(anonymous.json().caller).toBeUndefined();
      const badToken = await call(`${open.url}/echo`, {
        method: 'POST',
        json,
        headers: { authorization: 'Bearer forged' },
      });
      expectProblem(badToken, 401, 'auth.unauthorized');
      const withToken = await call(`${open.url}/echo`, { method: 'POST', json, headers: asBeta });
      expect(withToken.json().caller).toBe('beta');
      expect((await call(`${open.url}/items/1`)).status).toBe(401);
    } finally {
      await open.close();
    }
  });

  test('metadata, health and metrics stay open; an operation marked open needs no token', async () => {
    for (const path of ['/metadata', '/health/live', '/health/ready', '/metrics', '/open']) {
      expect((await call(alpha.url + path)).status, path).toBe(200);
    }
  });
});
