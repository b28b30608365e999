import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { HttpClient, runWithContext } from '../src/index.ts';
import { bearer, startTestService, testToken, type RunningService, call } from '../src/testing.ts';
import { probe } from './probe-service.ts';

/** alpha relays to beta: two kit services calling each other over real HTTP. */
let alpha: RunningService;
let beta: RunningService;
const alphaLog: Record<string, unknown>[] = [];
const asGamma = bearer({ issuer: 'gamma', audience: 'alpha', user: 'ada', tenant: 'uni-a' });
const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';

beforeAll(async () => {
  beta = await startTestService(probe('beta'));
  const logStream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean))
        alphaLog.push(JSON.parse(line));
      done();
    },
  });
  alpha = await startTestService(
    probe('alpha', 'beta'),
    { RDS_BETA_URL: beta.url, LOG_LEVEL: 'info' },
    { logStream },
  );
});
afterAll(async () => {
  await alpha.close();
  await beta.close();
});

describe('context data and trace context travel with every call', () => {
  test('X-Tenant, X-Request-Id, traceparent and the acting user reach the next service', async () => {
    const headers = {
      ...asGamma,
      'x-request-id': 'req-42',
      traceparent: `00-${TRACE_ID}-00f067aa0ba902b7-01`,
    };
    const answer = await call(`${alpha.url}/relay`, { headers });
    expect(answer.status).toBe(200);
    expect(answer.headers['x-request-id']).toBe('req-42');
    const seenByBeta = answer.json<{ headers: Record<string, string> } & Record<string, string>>();
    expect(seenByBeta).toMatchObject({
      tenant: 'uni-a',
      requestId: 'req-42',
      caller: 'alpha',
      user: 'ada',
      traceId: TRACE_ID,
    });
    expect(seenByBeta.headers['x-tenant']).toBe('uni-a');
    expect(seenByBeta.headers.traceparent).toMatch(new RegExp(`^00-${TRACE_ID}-[0-9a-f]{16}-01$`));
    expect(seenByBeta.headers.traceparent).not.toContain('00f067aa0ba902b7');
  });

  test('a request id is generated when absent, and an unsafe one is replaced', async () => {
    const generated = await call(`${alpha.url}/relay`, { headers: asGamma });
    expect(generated.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(generated.json().requestId).toBe(generated.headers['x-request-id']);
    const unsafe = await call(`${alpha.url}/relay`, {
      headers: { ...asGamma, 'x-request-id': 'a\tb{"x":1}' },
    });
    expect(unsafe.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  test('an outside service learns nothing of tenants or request ids', async () => {
    const outside = new HttpClient({
      name: 'provider',
      baseUrl: beta.url,
      headers: bearer({ issuer: 'alpha', audience: 'beta' }),
    });
    const seen = await runWithContext({ tenant: 'uni-a', requestId: 'req-secret' }, () =>
      outside.json<{ headers: Record<string, string> }>({ path: '/seen' }),
    );
    expect(seen.headers['x-tenant']).toBeUndefined();
    expect(seen.headers['x-request-id']).toBeUndefined();
    await outside.close();
  });

  test('log lines carry the request and trace ids and never a token', async () => {
    const traceparent = `00-${TRACE_ID.replace(/^4/, '5')}-00f067aa0ba902b7-01`;
    const answer = await call(`${alpha.url}/relay`, { headers: { ...asGamma, traceparent } });
    const line = alphaLog.find(
      (l) => l.msg === 'request completed' && l.traceId === TRACE_ID.replace(/^4/, '5'),
    );
    expect(line).toMatchObject({
      service: 'alpha',
      path: '/relay',
      status: 200,
      requestId: answer.headers['x-request-id'],
    });
    expect(JSON.stringify(alphaLog)).not.toContain(asGamma.authorization!.slice(7));
  });
});

describe('the outbound client', () => {
  test('retries an idempotent call on 503 and 429, honouring Retry-After', async () => {
    const started = Date.now();
    const answer = await call(
      `${alpha.url}/relay?path=${encodeURIComponent('/flaky?key=a&failures=2&retryAfter=1')}`,
      { headers: asGamma },
    );
    expect(answer.status).toBe(200);
    expect(answer.json()).toEqual({ calls: 3 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(2000);
    const limited = await call(
      `${alpha.url}/relay?path=${encodeURIComponent('/flaky?key=b&failures=1&status=429')}`,
      { headers: asGamma },
    );
    expect(limited.json()).toEqual({ calls: 2 });
  });

  test('gives up after its attempts: the caller gets a problem of this service, without the upstream body', async () => {
    const answer = await call(
      `${alpha.url}/relay?path=${encodeURIComponent('/flaky?key=c&failures=10')}`,
      { headers: asGamma },
    );
    expect(answer.status).toBe(502);
    expect(answer.json()).toMatchObject({
      messageKey: 'upstream.failed',
      args: { upstream: 'beta', upstreamStatus: 503 },
    });
    expect(answer.text).not.toContain('internals');
  });

  test('an upstream 500 is not retried and becomes 502', async () => {
    const answer = await call(
      `${alpha.url}/relay?path=${encodeURIComponent('/flaky?key=d&failures=1&status=500')}`,
      { headers: asGamma },
    );
    expect(answer.status).toBe(502);
    const again = await call(
      `${alpha.url}/relay?path=${encodeURIComponent('/flaky?key=d&failures=1&status=500')}`,
      { headers: asGamma },
    );
    expect(again.json()).toEqual({ calls: 2 });
  });

  test('an unreachable upstream becomes 504', async () => {
    const client = new HttpClient({
      name: 'nowhere',
      baseUrl: 'http://127.0.0.1:9',
      retry: { attempts: 2, baseDelayMs: 1 },
    });
    await expect(client.json({ path: '/' })).rejects.toMatchObject({
      statusCode: 504,
      init: { messageKey: 'upstream.failed' },
    });
  });

  test('a POST is not repeated unless marked idempotent', async () => {
    const client = new HttpClient({ name: 'beta', baseUrl: beta.url, retry: { baseDelayMs: 1 } });
    const headers = bearer({ issuer: 'alpha', audience: 'beta' });
    // /flaky answers any method the contract allows; POST is not one, so use the relay of beta itself.
    const once = await client.request({
      method: 'GET',
      path: '/flaky',
      query: { key: 'e', failures: 1 },
      headers,
    });
    expect(once.status).toBe(200);
    await once.body.dump();
    const post = await client.request({
      method: 'POST',
      path: '/echo',
      json: { title: 't', count: 1 },
      headers: { authorization: 'Bearer nope' },
    });
    expect(post.status).toBe(401);
    await post.body.dump();
  });

  test('re-authenticates once on 401 and repeats the call', async () => {
    const headers: Record<string, string> = { authorization: 'Bearer expired' };
    let refreshed = 0;
    const client = new HttpClient({
      name: 'beta',
      baseUrl: beta.url,
      headers,
      reauthenticate: async () => {
        refreshed++;
        headers.authorization = `Bearer ${testToken({ issuer: 'alpha', audience: 'beta' })}`;
        return true;
      },
    });
    expect(await client.json({ path: '/items/5' })).toEqual({ id: 5 });
    expect(refreshed).toBe(1);
  });

  test('a second 401 after re-authentication is the answer', async () => {
    let refreshed = 0;
    const client = new HttpClient({
      name: 'beta',
      baseUrl: beta.url,
      headers: { authorization: 'Bearer expired' },
      reauthenticate: async () => ++refreshed > 0,
    });
    await expect(client.json({ path: '/items/5' })).rejects.toMatchObject({ upstreamStatus: 401 });
    expect(refreshed).toBe(1);
  });

  test('times out a slow upstream', async () => {
    const client = new HttpClient({
      name: 'beta',
      baseUrl: beta.url,
      timeoutMs: 200,
      retry: { attempts: 1 },
      headers: bearer({ issuer: 'alpha', audience: 'beta' }),
    });
    const started = Date.now();
    await expect(client.json({ path: '/slow', query: { ms: 2000 } })).rejects.toMatchObject({
      statusCode: 504,
    });
    expect(Date.now() - started).toBeLessThan(1500);
  });
});

describe('relaying another RDS service', () => {
  const betaFor = (headers: Record<string, string>) =>
    new HttpClient({ name: 'beta', baseUrl: beta.url, headers, retry: { baseDelayMs: 1 } });
  const asAlpha = () => bearer({ issuer: 'alpha', audience: 'beta', user: 'ada' });

  test('answers its status, headers and body; nothing for HEAD and 204', async () => {
    const read = await betaFor(asAlpha()).relay({ path: '/items/5' });
    expect(read).toMatchObject({ status: 200, body: { id: 5 } });
    expect(read.headers['content-type']).toMatch(/^application\/json/);
    const head = await betaFor(asAlpha()).relay({ method: 'HEAD', path: '/items/5' });
    expect(head).toMatchObject({ status: 200, body: undefined });
    // Only beta itself may delete items.
    const asBeta = bearer({ issuer: 'beta', audience: 'beta' });
    const deleted = await betaFor(asBeta).relay({ method: 'DELETE', path: '/items/5' });
    expect(deleted).toMatchObject({ status: 204, body: undefined });
  });

  test('a 4xx problem becomes the same problem of this service', async () => {
    await expect(betaFor(asAlpha()).relay({ path: '/items/101' })).rejects.toMatchObject({
      statusCode: 404,
      init: { detail: 'There is no item 101.', messageKey: 'item.notFound', args: { id: 101 } },
    });
    await expect(betaFor(asAlpha()).relay({ path: '/items/abc' })).rejects.toMatchObject({
      statusCode: 400,
      init: { messageKey: 'request.invalid', errors: [{ pointer: '#/path/id' }] },
    });
  });

  test('its own refused token and the upstream failures stay upstream failures, without their body', async () => {
    await expect(
      betaFor({ authorization: 'Bearer forged' }).relay({ path: '/items/5' }),
    ).rejects.toMatchObject({ statusCode: 502, upstreamStatus: 401 });
    const failure = await betaFor(asAlpha())
      .relay({ path: '/flaky', query: { key: 'relay', failures: 10, status: 503 } })
      .catch((error: unknown) => error);
    expect(failure).toMatchObject({ statusCode: 502, upstreamStatus: 503 });
    expect(JSON.stringify((failure as { init: unknown }).init)).not.toContain('internals');
  });
});
