/**
 * What a service brings beyond its contract (the web front end's static files and sessions):
 * Fastify plugins, its own `GET /`, and handlers for its contract's own security schemes.
 */
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { Writable } from 'node:stream';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyPluginAsync } from 'fastify';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { ProblemError, type ServiceDefinition } from '../src/index.ts';
import { createService, loadSettings } from '../src/host.ts';
import { call, startTestService, TEST_SECRET, type RunningService } from '../src/testing.ts';
import { probe } from './probe-service.ts';

const page: FastifyPluginAsync = async (app) => {
  app.get('/', async (_request, reply) => reply.type('text/html').send('<h1>Welcome</h1>'));
  app.get('/assets/app.js', async (_request, reply) =>
    reply.type('text/javascript').send('console.log(1)'),
  );
  // As @fastify/static does for a file it does not have.
  app.get('/files/*', async (_request, reply) => reply.callNotFound());
};

const extended: ServiceDefinition = {
  name: 'extended',
  layer: 0,
  version: '1.0.0',
  contract: fileURLToPath(new URL('./fixtures/extended.yaml', import.meta.url)),
  setup: async () => ({
    plugins: [page],
    securityHandlers: {
      visitorKey: async (request) => {
        if (request.headers['x-visitor'] !== 'ada')
          throw new ProblemError(401, { detail: 'Who are you?', messageKey: 'visitor.unknown' });
        request.rds.user = 'ada';
      },
    },
    handlers: {
      greet: async (request) => ({ greeting: `Hello, ${request.rds.user}` }),
      addNote: async (request) => request.body,
      streamNews: async (_request, reply) => {
        reply.raw.writeHead(200, { 'content-type': 'text/event-stream' });
        reply.raw.end('event: news\ndata: "quiet day"\n\n');
        return reply;
      },
    },
  }),
};

let service: RunningService;
const logged: { level: number; msg: string }[] = [];
beforeAll(async () => {
  const logStream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean))
        logged.push(JSON.parse(line));
      done();
    },
  });
  service = await startTestService(extended, { LOG_LEVEL: 'info' }, { logStream });
});
afterAll(() => service.close());

test("a service that serves GET / itself keeps it, and its plugins' routes answer", async () => {
  const root = await call(`${service.url}/`);
  expect(root.status).toBe(200);
  expect(root.headers['content-type']).toMatch(/^text\/html/);
  expect(root.text).toBe('<h1>Welcome</h1>');
  expect((await call(`${service.url}/assets/app.js`)).text).toBe('console.log(1)');
  expect((await call(`${service.url}/metadata`)).json()).toMatchObject({ name: 'extended' });
});

test("the contract's own security scheme is checked by the service's handler", async () => {
  const refused = await call(`${service.url}/api/greeting`, { headers: { 'x-visitor': 'eve' } });
  expect(refused.status).toBe(401);
  expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(refused.json()).toMatchObject({ messageKey: 'visitor.unknown', detail: 'Who are you?' });
  const welcomed = await call(`${service.url}/api/greeting`, { headers: { 'x-visitor': 'ada' } });
  expect(welcomed.status).toBe(200);
  expect(welcomed.json()).toEqual({ greeting: 'Hello, ada' });
});

test("the service's own scheme refuses before the body is read or validated", async () => {
  const unknownKeys = Object.fromEntries(
    Array.from({ length: 50_000 }, (_, i) => [i.toString(36), 1]),
  );
  const refused = await call(`${service.url}/api/notes`, {
    method: 'POST',
    headers: { 'x-visitor': 'eve' },
    json: { text: 'x', ...unknownKeys },
  });
  expect(refused.status).toBe(401);
  expect(refused.json()).toMatchObject({ messageKey: 'visitor.unknown' });
  expect(refused.text.length).toBeLessThan(500);
  const invalid = await call(`${service.url}/api/notes`, {
    method: 'POST',
    headers: { 'x-visitor': 'ada' },
    json: { text: 'x', extra: 1 },
  });
  expect(invalid.status).toBe(400);
  const kept = await call(`${service.url}/api/notes`, {
    method: 'POST',
    headers: { 'x-visitor': 'ada' },
    json: { text: 'x' },
  });
  expect(kept.json()).toEqual({ text: 'x' });
});

test('a path a route of the right method does not have is 404, not 405', async () => {
  for (const method of ['GET', 'HEAD']) {
    const answer = await call(`${service.url}/files/missing.txt`, { method });
    expect(answer.status, method).toBe(404);
    expect(answer.headers['content-type']).toMatch(/^application\/problem\+json/);
  }
  const wrongMethod = await call(`${service.url}/files/missing.txt`, { method: 'DELETE' });
  expect(wrongMethod.status).toBe(405);
  expect(wrongMethod.headers.allow).toBe('GET');
});

test('a contract with an event stream starts without a warning, and the stream answers', async () => {
  const WARN = 40;
  expect(logged.filter((line) => line.level >= WARN)).toEqual([]);
  const news = await call(`${service.url}/api/news`, { headers: { 'x-visitor': 'ada' } });
  expect(news.status).toBe(200);
  expect(news.headers['content-type']).toBe('text/event-stream');
  expect(news.text).toBe('event: news\ndata: "quiet day"\n\n');
});

test('a contract with problem+json answers (every RDS contract) starts without a warning', async () => {
  const lines: { level: number; msg: string }[] = [];
  const logStream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  const alpha = await startTestService(probe('alpha'), { LOG_LEVEL: 'info' }, { logStream });
  await alpha.close();
  expect(lines.filter((line) => line.level >= 40)).toEqual([]);
});

test('a contract that lets the service token stand in for its own scheme does not start', async () => {
  const yaml = (await readFile(extended.contract, 'utf8')).replace(
    '        - visitorKey: []',
    '        - visitorKey: []\n        - serviceToken: []',
  );
  const contract = join(await mkdtemp(join(tmpdir(), 'rds-kit-')), 'either.yaml');
  await writeFile(
    contract,
    yaml.replace(
      'securitySchemes:',
      'securitySchemes:\n    serviceToken: { type: http, scheme: bearer }',
    ),
  );
  const settings = loadSettings(
    { type: 'object', properties: {} },
    {
      RDS_SERVICE_SECRET: TEST_SECRET,
      LOG_LEVEL: 'silent',
    },
  );
  await expect(createService({ ...extended, contract }, settings)).rejects.toThrow(
    "GET /api/greeting: serviceToken must be the operation's only security requirement",
  );
});
