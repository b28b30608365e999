import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { loadContract } from '../src/index.ts';
import { call, startTestService, type RunningService } from '../src/testing.ts';
import { probe } from './probe-service.ts';

const CONTRACT = fileURLToPath(new URL('./fixtures/probe.yaml', import.meta.url));
let alpha: RunningService;

beforeAll(async () => {
  alpha = await startTestService(probe('alpha'));
});
afterAll(() => alpha.close());

test('/openapi.json is the contract, its shared parts bundled in, without a token', async () => {
  const answer = await call(`${alpha.url}/openapi.json`);
  expect(answer.status).toBe(200);
  expect(answer.headers['content-type']).toMatch(/^application\/json/);
  expect(answer.json()).toEqual(await loadContract(CONTRACT));
});

test('/docs is a page holding the contract, loading only what the service serves', async () => {
  const page = await call(`${alpha.url}/docs`);
  expect(page.status).toBe(200);
  expect(page.headers['content-type']).toMatch(/^text\/html/);
  expect(page.text).toContain('<title>alpha API</title>');
  const held = /<script type="application\/json" id="openapi">(.*?)<\/script>/s.exec(page.text);
  expect(JSON.parse(held![1]!)).toEqual(await loadContract(CONTRACT));
  const loaded = [...page.text.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
  expect(loaded.length).toBeGreaterThanOrEqual(4);
  for (const url of loaded) {
    expect(url).toMatch(/^\/docs\/assets\/[\w.-]+$/);
    const asset = await call(`${alpha.url}${url}`);
    expect(asset.status, url).toBe(200);
    expect(asset.text.length, url).toBeGreaterThan(100);
  }
});

test('an asset it does not have is a 404 problem', async () => {
  for (const name of ['index.html', 'constructor', '..%2Fpackage.json']) {
    const answer = await call(`${alpha.url}/docs/assets/${name}`);
    expect(answer.status, name).toBe(404);
    expect(answer.headers['content-type']).toMatch(/^application\/problem\+json/);
  }
});
