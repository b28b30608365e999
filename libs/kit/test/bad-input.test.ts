/**
 * Requests an attacker would send (issue 19): each is refused with a problem that says what is
 * wrong, small whatever the request's size, and the service keeps serving.
 */
import { connect } from 'node:net';
import { createSigner } from 'fast-jwt';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import {
  bearer,
  call,
  startTestService,
  TEST_SECRET,
  type Answer,
  type RunningService,
} from '../src/testing.ts';
import { probe } from './probe-service.ts';

let alpha: RunningService;
const asBeta = bearer({ issuer: 'beta', audience: 'alpha' });

beforeAll(async () => {
  alpha = await startTestService(probe('alpha'));
});
afterAll(() => alpha.close());
afterEach(async () => {
  expect((await call(`${alpha.url}/items/1`, { headers: asBeta })).status).toBe(200);
});

function expectProblem(answer: Answer, status: number, messageKey: string) {
  expect(answer.status, answer.text.slice(0, 300)).toBe(status);
  expect(answer.headers['content-type']).toMatch(/^application\/problem\+json/);
  const problem = answer.json();
  expect(problem).toMatchObject({ type: 'about:blank', status, messageKey });
  expect(problem.title).toEqual(expect.any(String));
  expect(problem.detail).toEqual(expect.any(String));
  expect(JSON.stringify(problem)).not.toMatch(/FST_|"code"|"error"/);
  expect(answer.headers['x-content-type-options']).toBe('nosniff');
  return problem;
}

const post = (path: string, type: string, body: string, headers = asBeta) =>
  call(`${alpha.url}${path}`, {
    method: 'POST',
    headers: { ...headers, 'content-type': type },
    body,
  });

/** Sends raw bytes and returns what came back before the connection closed. */
function raw(url: string, text: string): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect(Number(port), hostname);
    let answer = '';
    socket.on('data', (chunk) => (answer += chunk));
    socket.on('error', () => resolve(answer));
    socket.on('close', () => resolve(answer));
    socket.write(text);
  });
}

function parseRaw(answer: string) {
  const [head = '', body = ''] = answer.split('\r\n\r\n');
  return { status: Number(head.split(' ')[1]), head: head.toLowerCase(), body: JSON.parse(body) };
}

describe('a body is read only as the contract declares it', () => {
  test('JSON by another name is refused with 415 where the contract does not list it', async () => {
    const body = JSON.stringify({ title: { $gt: '' }, count: 'all', owner: 'someone-else' });
    for (const type of ['application/problem+json', 'application/schema+json', 'text/plain']) {
      const problem = expectProblem(
        await post('/echo', type, body),
        415,
        'request.unsupportedMediaType',
      );
      expect(problem.detail).toContain('application/json');
    }
  });

  test('a JSON-family type the contract lists is parsed and validated like application/json', async () => {
    const valid = await post('/notes', 'application/merge-patch+json', '{"text":"hello"}');
    expect(valid.status).toBe(200);
    expect(valid.json().body).toEqual({ text: 'hello' });
    const invalid = await post('/notes', 'application/merge-patch+json', '{"text":{"$gt":""}}');
    const problem = expectProblem(invalid, 400, 'request.invalid');
    expect(problem.errors).toEqual([{ detail: expect.any(String), pointer: '#/text' }]);
  });

  test('a JSON body on a binary operation is refused, not handed over parsed', async () => {
    const answer = await call(`${alpha.url}/blob`, {
      method: 'PUT',
      headers: { ...asBeta, 'content-type': 'application/json' },
      body: '{"bytes":1}',
    });
    expectProblem(answer, 415, 'request.unsupportedMediaType');
  });

  test('an operation that needs a body refuses a request without one', async () => {
    const answer = await call(`${alpha.url}/echo`, { method: 'POST', headers: asBeta });
    expectProblem(answer, 400, 'request.bodyMissing');
  });
});

describe('text a database cannot keep, and nesting that overflows a stack', () => {
  test.each([
    ['a NUL character', 'ti\u0000tle'],
    ['a lone high surrogate', 'ti\ud800tle'],
    ['a lone low surrogate', '\udc00'],
  ])('%s in a string: 400 pointing at it', async (_what, title) => {
    const answer = await call(`${alpha.url}/echo`, {
      method: 'POST',
      headers: asBeta,
      json: { title: 'ok', count: 1, tags: ['fine', title] },
    });
    const problem = expectProblem(answer, 400, 'request.invalid');
    expect(problem.errors).toEqual([
      { detail: expect.stringContaining('NUL'), pointer: '#/tags/1' },
    ]);
  });

  test('in a property name, and in a path or query parameter', async () => {
    const key = await post('/notes', 'application/json', '{"text":"x","extra":{"a\\u0000b":1}}');
    expect(expectProblem(key, 400, 'request.invalid').errors).toEqual([
      { detail: expect.any(String), pointer: '#/extra/a\u0000b' },
    ]);
    const query = await call(`${alpha.url}/relay?path=%00`, { headers: asBeta });
    expect(expectProblem(query, 400, 'request.invalid').errors).toEqual([
      { detail: expect.any(String), pointer: '#/query/path' },
    ]);
  });

  test('a pair of surrogates (an emoji) is text like any other', async () => {
    const answer = await call(`${alpha.url}/echo`, {
      method: 'POST',
      headers: asBeta,
      json: { title: 'ocean 🌊', count: 1 },
    });
    expect(answer.status).toBe(200);
    expect(answer.json().body).toMatchObject({ title: 'ocean 🌊' });
  });

  test('JSON nested 10,000 deep: 400 before anything recurses; 64 deep is taken', async () => {
    const nested = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);
    const deep = await post('/notes', 'application/json', `{"text":"x","extra":${nested(10_000)}}`);
    expectProblem(deep, 400, 'request.tooDeep');
    const deepPatch = await post(
      '/notes',
      'application/merge-patch+json',
      `{"text":"x","extra":${nested(10_000)}}`,
    );
    expectProblem(deepPatch, 400, 'request.tooDeep');
    // Brackets inside strings are text, not nesting.
    const text = JSON.stringify({ text: 'x', extra: [nested(63), '['.repeat(500)] });
    expect((await post('/notes', 'application/json', text)).status).toBe(200);
  });
});

describe('problems stay small', () => {
  const unknownKeys = () => {
    const keys = Object.fromEntries(Array.from({ length: 100_000 }, (_, i) => [i.toString(36), 1]));
    return JSON.stringify({ text: 'x', ...keys });
  };

  test('100,000 unknown properties: at most 20 errors listed, the count said', async () => {
    const big = await startTestService(probe('alpha'), { RDS_BODY_LIMIT: '2000000' });
    try {
      const body = unknownKeys();
      expect(body.length).toBeGreaterThan(800_000);
      const answer = await call(`${big.url}/notes`, {
        method: 'POST',
        headers: { ...asBeta, 'content-type': 'application/json' },
        body,
      });
      const problem = expectProblem(answer, 400, 'request.invalid');
      expect(problem.errors).toHaveLength(20);
      expect(problem.args).toEqual({ errorCount: 100_000 });
      expect(problem.detail).toContain('20 of 100000');
      expect(answer.text.length).toBeLessThan(4_000);
    } finally {
      await big.close();
    }
  });

  test('a long property name or path is not echoed whole', async () => {
    const name = 'x'.repeat(50_000);
    const answer = await post(
      '/notes',
      'application/json',
      JSON.stringify({ text: 'x', [name]: 1 }),
    );
    expectProblem(answer, 400, 'request.invalid');
    expect(answer.text.length).toBeLessThan(2_000);
    const path = await call(`${alpha.url}/${'y'.repeat(8_000)}?secret=hunter2`, {
      headers: asBeta,
    });
    const problem = expectProblem(path, 404, 'request.notFound');
    expect(path.text.length).toBeLessThan(2_000);
    expect(path.text).not.toContain('hunter2');
    expect(problem.instance).toMatch(/^\/y+…$/);
  });
});

describe('framework errors are problems too, and unknown paths 404', () => {
  test('a path parameter over 100 characters: 414', async () => {
    const answer = await call(`${alpha.url}/items/${'1'.repeat(200)}`, { headers: asBeta });
    expectProblem(answer, 414, 'request.uriTooLong');
  });

  test('a path that is not percent-encoded properly: 400', async () => {
    const answer = await call(`${alpha.url}/items/%E0%A4%A`, { headers: asBeta });
    expectProblem(answer, 400, 'request.badUrl');
  });

  test('headers over 16 KiB: 431, from Node’s parser, before Fastify', async () => {
    const answer = parseRaw(
      await raw(
        alpha.url,
        `GET /items/1 HTTP/1.1\r\nHost: a\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`,
      ),
    );
    expect(answer.status).toBe(431);
    expect(answer.head).toContain('content-type: application/problem+json');
    expect(answer.head).toContain('x-content-type-options: nosniff');
    expect(answer.body).toMatchObject({ status: 431, messageKey: 'request.headersTooLarge' });
  });

  test('a request that is not HTTP: 400', async () => {
    const answer = parseRaw(await raw(alpha.url, 'HELLO THERE\r\n\r\n'));
    expect(answer.status).toBe(400);
    expect(answer.head).toContain('content-type: application/problem+json');
    expect(answer.head).toContain('x-content-type-options: nosniff');
    expect(answer.body).toMatchObject({ status: 400, messageKey: 'request.malformed' });
  });
});

describe('service tokens', () => {
  const now = () => Math.floor(Date.now() / 1000);
  const sign = (claims: Record<string, unknown>) =>
    `Bearer ${createSigner({ key: TEST_SECRET, algorithm: 'HS256' })(claims)}`;
  const get = (authorization: string) =>
    call(`${alpha.url}/items/1`, { headers: { authorization } });

  test('issued in the future: 401; within the 30 s clock skew: taken', async () => {
    const later = now() + 3000;
    const problem = expectProblem(
      await get(sign({ iss: 'beta', aud: 'alpha', iat: later, exp: later + 300 })),
      401,
      'auth.unauthorized',
    );
    expect(problem.detail).toContain('future');
    const soon = now() + 20;
    expect((await get(sign({ iss: 'beta', aud: 'alpha', iat: soon, exp: soon + 60 }))).status).toBe(
      200,
    );
  });

  test('an audience list naming this service among others: 403', async () => {
    const answer = await get(
      sign({ iss: 'beta', aud: ['alpha', 'gamma'], iat: now(), exp: now() + 60 }),
    );
    expectProblem(answer, 403, 'auth.forbidden');
    const alone = await get(sign({ iss: 'beta', aud: ['alpha'], iat: now(), exp: now() + 60 }));
    expectProblem(alone, 403, 'auth.forbidden');
  });

  test('an anonymous call acts in the default tenant only', async () => {
    const open = await startTestService(probe('alpha'), {
      PROBE_ANONYMOUS_OPERATIONS: 'echo',
    });
    try {
      const json = { title: 'x', count: 1 };
      const elsewhere = await call(`${open.url}/echo`, {
        method: 'POST',
        headers: { 'x-tenant': 'uni-b' },
        json,
      });
      expectProblem(elsewhere, 403, 'auth.forbidden');
      const home = await call(`${open.url}/echo`, {
        method: 'POST',
        headers: { 'x-tenant': 'default' },
        json,
      });
      expect(home.json()).toMatchObject({ tenant: 'default' });
    } finally {
      await open.close();
    }
  });
});
