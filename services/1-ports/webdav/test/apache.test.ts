/** The webdav port against a real WebDAV server: Apache with mod_dav. */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import {
  closeSync,
  existsSync,
  ftruncateSync,
  mkdirSync,
  openSync,
  readFileSync,
  readdirSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { bearer, TEST_SECRET, type RunningService } from '@rds/kit/testing';
import { startTokenStorage } from '@rds/token-storage/testing';
import { freePort, startApache, type ApacheDav } from '@rds/test-peers';
import { call, client, connect, startPort, type Entry, STARTUP_TIMEOUT_MS } from './harness.ts';

const SERVER_USER = 'ada.lovelace';
const PASSWORD = 'app-password-1';
const MiB = 1024 * 1024;
const GiB = 1024 * MiB;
const MB = 1_000_000;
const SERVE_SCRIPT = fileURLToPath(new URL('./serve-webdav.ts', import.meta.url));
const AWKWARD = ['run 1', 'Ünïcödé ✓', 'hash#tag', '100% done', 'what?', "it's", 'a+b=c&d'];
const DEPTH = 6;

let apache: ApacheDav;
let tokenStorage: RunningService;
let port: RunningService;
const ada = client(() => port, 'ada');
const disk = (path: string) => join(apache.files, path);

beforeAll(async () => {
  apache = await startApache(SERVER_USER, PASSWORD);
  mkdirSync(disk('data/nested'), { recursive: true });
  writeFileSync(disk('data/a.csv'), 'x,y\n1,2\n');
  for (const name of AWKWARD) writeFileSync(disk(`data/${name}.txt`), name);
  let deep = disk('tree');
  for (let level = 1; level <= DEPTH; level++) {
    deep = join(deep, `level ${level}`);
    mkdirSync(deep, { recursive: true });
    writeFileSync(join(deep, `file-${level}.txt`), `at level ${level}`);
  }
  apache.own();
  tokenStorage = await startTokenStorage();
  port = await startPort(tokenStorage, {
    RDS_WEBDAV_SERVER_URL: apache.url,
    RDS_WEBDAV_CHUNK_THRESHOLD: String(5 * MiB),
    RDS_WEBDAV_CHUNK_SIZE: String(5 * MiB),
  });
  await connect(tokenStorage, 'ada', {
    kind: 'credentials',
    userId: SERVER_USER,
    password: PASSWORD,
  });
  await connect(tokenStorage, 'bob', {
    kind: 'credentials',
    userId: SERVER_USER,
    password: 'wrong',
  });
}, STARTUP_TIMEOUT_MS);

afterAll(async () => {
  await port?.close();
  await tokenStorage?.close();
  await apache?.stop();
});

test('registers with token-storage as a credentials service', async () => {
  const answer = await call(`${tokenStorage.url}/service/webdav`, {
    headers: bearer({ issuer: 'port-service', audience: 'token-storage' }),
  });
  expect(answer.json()).toMatchObject({
    servicename: 'webdav',
    implements: ['fileStorage'],
    authType: 'credentials',
    credentials: { userId: true, password: true },
  });
});

describe('listing', () => {
  test('folders first, then files by name, with sizes and times', async () => {
    const { entries } = await ada.list('/data');
    expect(entries.map((e) => `${e.type}:${e.name}`)).toEqual([
      'folder:nested',
      ...['a.csv', ...AWKWARD.map((n) => `${n}.txt`)].sort().map((n) => `file:${n}`),
    ]);
    expect(entries.find((e) => e.name === 'a.csv')).toMatchObject({
      path: '/data/a.csv',
      size: 8,
      modified: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      etag: expect.any(String),
    });
    expect(entries[0]).not.toHaveProperty('size');
  });

  test('the root lists as /', async () => {
    const { entries } = await ada.list('/');
    expect(entries.map((e) => e.path)).toEqual(['/data', '/tree']);
  });

  test('pages through with a cursor, without gaps or repeats', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await ada.list('/data', `&limit=3${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.entries.length).toBeLessThanOrEqual(3);
      seen.push(...page.entries.map((e) => e.name));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual((await ada.list('/data')).entries.map((e) => e.name));
  });

  test('a deep tree is walked one level at a time', async () => {
    const walk = async (path: string): Promise<string[]> => {
      const { entries } = await ada.list(path);
      const below = await Promise.all(
        entries.filter((e) => e.type === 'folder').map((e) => walk(e.path)),
      );
      return [...entries.map((e) => e.path), ...below.flat()];
    };
    const paths = await walk('/tree');
    expect(paths).toHaveLength(2 * DEPTH);
    expect(paths).toContain(
      `/tree/${Array.from({ length: DEPTH }, (_, i) => `level ${i + 1}`).join('/')}/file-${DEPTH}.txt`,
    );
  });

  test('a file is not a folder: 409', async () => {
    expect((await ada.get('/folder', '/data/a.csv')).json().messageKey).toBe('storage.notAFolder');
  });
});

describe('awkward names', () => {
  test.each(AWKWARD)('%j is found, read and written', async (name) => {
    const stat = await ada.get('/entry', `/data/${name}.txt`);
    expect(stat.json()).toMatchObject({
      name: `${name}.txt`,
      type: 'file',
      size: Buffer.byteLength(name),
    });
    expect((await ada.get('/file', `/data/${name}.txt`)).text).toBe(name);
    const written = await ada.put(`/data/nested/${name}`, `new ${name}`);
    expect(written.status, written.text).toBe(201);
    expect(readFileSync(disk(`data/nested/${name}`), 'utf8')).toBe(`new ${name}`);
  });
});

describe('downloads', () => {
  test('the whole file, with its length', async () => {
    const answer = await ada.get('/file', '/data/a.csv');
    expect(answer.status).toBe(200);
    expect(answer.headers['content-length']).toBe('8');
    expect(answer.headers['accept-ranges']).toBe('bytes');
    expect(answer.text).toBe('x,y\n1,2\n');
  });

  test('ranges: 206 with Content-Range, 416 outside the file', async () => {
    const part = await ada.get('/file', '/data/a.csv', { range: 'bytes=2-4' });
    expect(part.status).toBe(206);
    expect(part.headers['content-range']).toBe('bytes 2-4/8');
    expect(part.text).toBe('y\n1');
    expect((await ada.get('/file', '/data/a.csv', { range: 'bytes=-2' })).text).toBe('2\n');
    expect((await ada.get('/file', '/data/a.csv', { range: 'bytes=6-' })).text).toBe('2\n');
    const outside = await ada.get('/file', '/data/a.csv', { range: 'bytes=100-' });
    expect(outside.status).toBe(416);
    expect(outside.headers['content-range']).toBe('bytes */8');
  });

  test('a folder is not a file: 409', async () => {
    expect((await ada.get('/file', '/data')).json().messageKey).toBe('storage.notAFile');
  });
});

describe('uploads', () => {
  test('a new file is written whole, and replaces an existing one', async () => {
    const body = randomBytes(100_000);
    const created = await ada.put('/data/upload.bin', body);
    expect(created.status, created.text).toBe(201);
    expect(created.json()).toMatchObject({ name: 'upload.bin', type: 'file', size: body.length });
    expect(readFileSync(disk('data/upload.bin')).equals(body)).toBe(true);
    expect((await ada.bytes('/data/upload.bin')).body.equals(body)).toBe(true);
    expect((await ada.put('/data/upload.bin', 'v2')).json()).toMatchObject({ size: 2 });
    expect(readFileSync(disk('data/upload.bin'), 'utf8')).toBe('v2');
  });

  test('above the chunk threshold, a server without chunked uploads gets one streamed PUT', async () => {
    const body = randomBytes(7 * MiB + 3);
    const created = await ada.put('/data/large.bin', body);
    expect(created.status, created.text).toBe(201);
    expect(statSync(disk('data/large.bin')).size).toBe(body.length);
    expect(readFileSync(disk('data/large.bin')).equals(body)).toBe(true);
  });

  test('an empty file', async () => {
    const created = await ada.put('/data/empty.txt', '');
    expect(created.status, created.text).toBe(201);
    expect(created.json()).toMatchObject({ size: 0 });
    expect(statSync(disk('data/empty.txt')).size).toBe(0);
  });

  test('into a missing folder: 409, nothing written', async () => {
    const answer = await ada.put('/nowhere/x.txt', 'x');
    expect(answer.status).toBe(409);
    expect(answer.json().messageKey).toBe('storage.parentMissing');
    expect(existsSync(disk('nowhere'))).toBe(false);
  });

  test('over a folder: 409', async () => {
    expect((await ada.put('/data/nested', 'x')).json().messageKey).toBe('storage.notAFile');
  });
});

describe('folders', () => {
  test('are made with their parents, again without harm, and deleted with their content', async () => {
    const made = await ada.mkdir('/made/a/b #1');
    expect(made.status, made.text).toBe(201);
    expect(made.json()).toMatchObject({ path: '/made/a/b #1', name: 'b #1', type: 'folder' });
    expect(statSync(disk('made/a/b #1')).isDirectory()).toBe(true);
    expect((await ada.mkdir('/made/a')).status).toBe(201);
    await ada.put('/made/a/b #1/f.txt', 'x');
    expect((await ada.remove('/made')).status).toBe(204);
    expect(existsSync(disk('made'))).toBe(false);
  });

  test('not below a file', async () => {
    expect((await ada.mkdir('/data/a.csv/sub')).json().messageKey).toBe('storage.notAFolder');
  });

  test('the root cannot be deleted', async () => {
    expect((await ada.remove('/')).status).toBe(403);
    expect(readdirSync(apache.files)).toContain('data');
  });
});

describe('problems, each its own, and the port serves on', () => {
  test.each(['/file', '/entry', '/folder'])(
    'a missing path on %s: 404 storage.notFound',
    async (route) => {
      const answer = await ada.get(route, '/data/nothing here');
      expect(answer.status).toBe(404);
      expect(answer.json()).toMatchObject({
        messageKey: 'storage.notFound',
        args: { path: '/data/nothing here' },
      });
    },
  );

  test('deleting what is not there: 404', async () => {
    expect((await ada.remove('/data/nothing')).status).toBe(404);
  });

  test.each([
    ['/../outside', 400, 'storage.badPath'],
    ['/data/../../etc/passwd', 400, 'storage.badPath'],
    ['/data/./a.csv', 400, 'storage.badPath'],
    ['data/a.csv', 400, 'request.invalid'],
  ])('escape attempt %s: %i %s', async (path, status, messageKey) => {
    for (const route of ['/file', '/entry', '/folder']) {
      const answer = await ada.get(route, path);
      expect(answer.status, route).toBe(status);
      expect(answer.json().messageKey).toBe(messageKey);
    }
  });

  test('encoded dots stay dots: %2e%2e is refused like ..', async () => {
    const answer = await call(`${port.url}/file?path=/data/%2e%2e/%2e%2e/etc/passwd`, {
      headers: bearer({ issuer: 'exporter', audience: 'webdav', user: 'ada' }),
    });
    expect(answer.status).toBe(400);
    expect(answer.json().messageKey).toBe('storage.badPath');
  });

  test('a name that only looks encoded is a name, not a way up: 404', async () => {
    const answer = await ada.get('/entry', '/data/%2e%2e/%2e%2e/etc/passwd');
    expect(answer.status).toBe(404);
    expect(answer.json().messageKey).toBe('storage.notFound');
  });

  test('wrong credentials: 403 storage.credentialsRefused', async () => {
    const bob = client(() => port, 'bob');
    for (const answer of [await bob.get('/folder', '/data'), await bob.put('/data/x', 'x')]) {
      expect(answer.status).toBe(403);
      expect(answer.json()).toMatchObject({
        messageKey: 'storage.credentialsRefused',
        args: { servicename: 'webdav' },
      });
    }
    expect(existsSync(disk('data/x'))).toBe(false);
  });

  test('a user who never connected: 403 storage.credentialsRefused', async () => {
    const answer = await client(() => port, 'carol').get('/folder', '/');
    expect(answer.status).toBe(403);
    expect(answer.json().messageKey).toBe('storage.credentialsRefused');
  });

  test('an unreachable server: 504 storage.unreachable', async () => {
    const nowhere = await startPort(tokenStorage, {
      RDS_WEBDAV_SERVER_URL: `http://127.0.0.1:${await freePort()}`,
    });
    try {
      const answer = await client(() => nowhere, 'ada').get('/folder', '/data');
      expect(answer.status).toBe(504);
      expect(answer.json()).toMatchObject({
        messageKey: 'storage.unreachable',
        args: { servicename: 'webdav' },
      });
    } finally {
      await nowhere.close();
    }
  });

  test('after all that, the port still serves', async () => {
    const { entries } = await ada.list('/data');
    expect(entries.map((e: Entry) => e.name)).toContain('a.csv');
  });

  test('a call without a service token is refused', async () => {
    expect((await call(`${port.url}/file?path=/data/a.csv`)).status).toBe(401);
  });
});

/**
 * A 1 GiB download streams through the port: its resident memory stays flat. This port runs in a
 * process of its own, so that its memory is measured apart from the test's.
 */
describe('a 1 GiB download', () => {
  let child: ChildProcess;
  let childUrl: string;

  beforeAll(async () => {
    // Sparse: a gigabyte of zeros that costs no disk and reads fast.
    mkdirSync(disk('memory'));
    const file = openSync(disk('memory/big.bin'), 'w');
    ftruncateSync(file, GiB);
    closeSync(file);
    apache.own();
    child = spawn(process.execPath, ['--import', 'tsx', SERVE_SCRIPT], {
      env: {
        ...process.env,
        RDS_SERVICE_SECRET: TEST_SECRET,
        RDS_TOKEN_STORAGE_URL: tokenStorage.url,
        RDS_WEBDAV_SERVER_URL: apache.url,
        RDS_SHUTDOWN_DELAY_MS: '0',
        LOG_LEVEL: 'info',
        PORT: '0',
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    childUrl = await new Promise<string>((resolve, reject) => {
      let output = '';
      child.stdout!.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        const match = /"url":"(http:\/\/[^"]+)"/.exec(output);
        if (match) resolve(match[1]!);
      });
      child.once('exit', () => reject(new Error(`the port exited before listening:\n${output}`)));
    });
  }, STARTUP_TIMEOUT_MS);

  afterAll(async () => {
    if (child && child.exitCode === null) {
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      await exited;
    }
  });

  /** Downloads through the port, counting bytes and throwing them away. */
  function drain(
    path: string,
    progress: (bytes: number) => void = () => undefined,
  ): Promise<{ status: number; bytes: number }> {
    const headers = bearer({ issuer: 'exporter', audience: 'webdav', user: 'ada' });
    return new Promise((resolve, reject) => {
      request(`${childUrl}/file?path=${encodeURIComponent(path)}`, { headers }, (response) => {
        let bytes = 0;
        response.on('data', (chunk: Buffer) => progress((bytes += chunk.length)));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, bytes }));
        response.on('error', reject);
      })
        .on('error', reject)
        .end();
    });
  }

  test('1 GiB streams through with flat memory', async () => {
    const pid = child.pid!;
    // Warm up on a missing file: every module the download needs is loaded and compiled.
    expect((await drain('/missing.bin')).status).toBe(404);
    const baseline = residentBytes(pid);
    let received = 0;
    const samples: { received: number; rss: number }[] = [];
    const sampler = setInterval(() => samples.push({ received, rss: residentBytes(pid) }), 20);
    const started = Date.now();
    const result = await drain('/memory/big.bin', (bytes) => (received = bytes)).finally(() =>
      clearInterval(sampler),
    );
    const seconds = (Date.now() - started) / 1000;
    const peakOf = (part: typeof samples) => Math.max(baseline, ...part.map((s) => s.rss));
    const peak = peakOf(samples);
    const firstHalf = peakOf(samples.filter((s) => s.received < GiB / 2));
    const secondHalf = peakOf(samples.filter((s) => s.received >= GiB / 2));
    process.stdout.write(
      `webdav 1 GiB download: port RSS baseline ${mb(baseline)}, peak ${mb(peak)} ` +
        `(first half ${mb(firstHalf)}, second half ${mb(secondHalf)}), ${samples.length} samples, ` +
        `${seconds.toFixed(1)} s, ${(GiB / MB / seconds).toFixed(0)} MB/s\n`,
    );
    expect(result).toEqual({ status: 200, bytes: GiB });
    expect(samples.length).toBeGreaterThan(10);
    // Flat: the download adds a bounded amount, and the second half of it no more than the first.
    expect(peak - baseline).toBeLessThan(64 * MB);
    expect(secondHalf - firstHalf).toBeLessThan(16 * MB);
    // The kit alone (tsx, Fastify, OpenTelemetry, Ajv) holds about 150-180 MB before any request.
    expect(peak).toBeLessThan(256 * MB);
  }, 120_000);
});

function residentBytes(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(match![1]) * 1024;
}

const mb = (bytes: number) => `${(bytes / MB).toFixed(1)} MB`;
