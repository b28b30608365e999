import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createService, loadSettings } from '../src/host.ts';
import {
  bearer,
  startTestService,
  TEST_SECRET,
  type RunningService,
  call,
} from '../src/testing.ts';
import { probe } from './probe-service.ts';

let alpha: RunningService;
const asBeta = bearer({ issuer: 'beta', audience: 'alpha', user: 'ada', tenant: 'uni-a' });

beforeAll(async () => {
  alpha = await startTestService(probe('alpha'));
});
afterAll(() => alpha.close());

describe('apikit metadata', () => {
  test.each(['/metadata', '/metadata.json', '/v1.0/metadata', '/v1.0/metadata.json'])(
    '%s describes the service with string fields, without a token',
    async (path) => {
      const answer = await call(alpha.url + path);
      expect(answer.status).toBe(200);
      expect(answer.json()).toEqual({
        name: 'alpha',
        version: '1.2.3',
        description: 'A service that exists to exercise the kit in tests.',
        api_version: '1.0',
        repository: expect.stringMatching(/^https:\/\//),
        auth: 'service-token',
      });
    },
  );

  test('GET / answers 200 at once for load balancers', async () => {
    const answer = await call(`${alpha.url}/`);
    expect(answer.status).toBe(200);
  });
});

describe('routing and validation from the contract', () => {
  test('a valid request reaches its handler, with caller, tenant and user from the token', async () => {
    const answer = await call(`${alpha.url}/echo`, {
      method: 'POST',
      headers: asBeta,
      json: { title: 'x', count: 2 },
    });
    expect(answer.status).toBe(200);
    expect(answer.json()).toMatchObject({
      caller: 'beta',
      user: 'ada',
      tenant: 'uni-a',
      body: { title: 'x', count: 2 },
    });
  });

  test('path parameters are coerced and validated', async () => {
    expect((await call(`${alpha.url}/items/7`, { headers: asBeta })).json()).toEqual({ id: 7 });
    const bad = await call(`${alpha.url}/items/seven`, { headers: asBeta });
    expect(bad.status).toBe(400);
    expect(bad.json().errors).toEqual([
      { detail: expect.stringContaining('integer'), pointer: '#/path/id' },
    ]);
  });

  test('a body of the wrong types is refused, not coerced', async () => {
    const answer = await call(`${alpha.url}/echo`, {
      method: 'POST',
      headers: asBeta,
      json: { title: 'x', count: '2' },
    });
    expect(answer.status).toBe(400);
    expect(answer.json().errors).toEqual([
      { detail: '/count must be integer', pointer: '#/count' },
    ]);
  });

  test('every invalid field is named, with a JSON pointer', async () => {
    const answer = await call(`${alpha.url}/echo`, {
      method: 'POST',
      headers: asBeta,
      json: { title: '', extra: 1 },
    });
    const pointers = answer
      .json<{ errors: { pointer: string }[] }>()
      .errors.map((e) => e.pointer)
      .sort();
    expect(pointers).toEqual(['#/count', '#/extra', '#/title']);
  });

  test('query parameters are validated', async () => {
    const answer = await call(`${alpha.url}/slow?ms=-5`, { headers: asBeta });
    expect(answer.status).toBe(400);
    expect(answer.json().errors).toEqual([
      { detail: expect.stringContaining('>= 0'), pointer: '#/query/ms' },
    ]);
  });

  test('a binary body streams to the handler, past the JSON body limit', async () => {
    const blob = randomBytes(5 * 1024 * 1024);
    const answer = await call(`${alpha.url}/blob`, {
      method: 'PUT',
      headers: { ...asBeta, 'content-type': 'application/octet-stream' },
      body: blob,
    });
    expect(answer.status).toBe(200);
    expect(answer.json()).toEqual({
      bytes: blob.length,
      sha256: createHash('sha256').update(blob).digest('hex'),
    });
  });

  test('responses are validated against the contract when switched on', async () => {
    const answer = await call(`${alpha.url}/broken-response`, { headers: asBeta });
    expect(answer.status).toBe(500);
    expect(answer.headers['content-type']).toContain('application/problem+json');
  });

  test('with response validation off, the same response goes out', async () => {
    const lax = await startTestService(probe('alpha'), { RDS_VALIDATE_RESPONSES: 'false' });
    try {
      const answer = await call(`${lax.url}/broken-response`, { headers: asBeta });
      expect(answer.status).toBe(200);
      expect(answer.json()).toEqual({ state: 'deleted' });
    } finally {
      await lax.close();
    }
  });

  test('a service missing a handler for an operation of its contract does not start', async () => {
    const definition = probe('alpha');
    const incomplete = {
      ...definition,
      setup: async (ctx: Parameters<typeof definition.setup>[0]) => {
        const parts = await definition.setup(ctx);
        const { echo: _echo, ...handlers } = parts.handlers;
        return { ...parts, handlers };
      },
    };
    const settings = loadSettings<Record<string, string>>(
      { type: 'object', properties: {} },
      { RDS_SERVICE_SECRET: TEST_SECRET, LOG_LEVEL: 'silent' },
    );
    await expect(createService(incomplete, settings)).rejects.toThrow(
      'no handler for operation(s) echo',
    );
  });
});
