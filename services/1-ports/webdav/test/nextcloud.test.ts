/**
 * The webdav port against the Nextcloud fake: the user id from OCS, chunked upload v2 and its
 * failures, a server that ignores Range, absolute hrefs; and litmus, to show the fake's WebDAV is
 * faithful.
 */
import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { bearer, type RunningService } from '@rds/kit/testing';
import { startTokenStorage } from '@rds/token-storage/testing';
import { client, connect, startPort, STARTUP_TIMEOUT_MS } from './harness.ts';
import { NextcloudFake } from './nextcloud-fake.ts';

const MiB = 1024 * 1024;
const ADA = { login: 'ada@example.org', password: 'ada-app-password', id: 'u-4711' };
const LITMUS = { login: 'litmus', password: 'litmus-password', id: 'litmus' };

let fake: NextcloudFake;
let tokenStorage: RunningService;
let port: RunningService;
const ada = client(() => port, 'ada');
const md5 = (data: Buffer | string) => createHash('md5').update(data).digest('hex');
const requestsSince = (start: number) => fake.requests.slice(start);

function putOver(agent: Agent, path: string, body: Buffer): Promise<number> {
  return new Promise((resolve, reject) => {
    request(`${port.url}/file?path=${encodeURIComponent(path)}`, {
      agent,
      method: 'PUT',
      headers: {
        ...bearer({ issuer: 'exporter', audience: 'webdav', user: 'ada' }),
        'content-type': 'application/octet-stream',
      },
    })
      .on('response', (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      })
      .on('error', reject)
      .end(body);
  });
}

beforeAll(async () => {
  fake = await new NextcloudFake([ADA, LITMUS]).start();
  tokenStorage = await startTokenStorage();
  port = await startPort(tokenStorage, {
    RDS_WEBDAV_SERVER_URL: fake.url,
    RDS_WEBDAV_CHUNK_THRESHOLD: String(5 * MiB),
    RDS_WEBDAV_CHUNK_SIZE: String(5 * MiB),
    RDS_WEBDAV_TIMEOUT_MS: '2000',
    RDS_WEBDAV_ASSEMBLY_TIMEOUT_MS: '3000',
  });
  await connect(tokenStorage, 'ada', {
    kind: 'credentials',
    userId: ADA.login,
    password: ADA.password,
  });
}, STARTUP_TIMEOUT_MS);

afterAll(async () => {
  await port?.close();
  await tokenStorage?.close();
  await fake?.close();
});

beforeEach(() => {
  fake.moveAnswerDelayMs = 0;
  fake.hangAssembly = false;
  fake.failChunk = undefined;
  fake.absoluteHrefs = false;
});

describe('the user at the server', () => {
  test('is who OCS says, not the login name; asked once for a burst of calls', async () => {
    const start = fake.requests.length;
    expect((await ada.put('/hello.txt', 'hello')).status).toBe(201);
    expect(fake.file(ADA.id, '/hello.txt')?.toString()).toBe('hello');
    expect((await ada.list('/')).entries.map((e) => e.name)).toContain('hello.txt');
    const ocs = requestsSince(start).filter((r) => r.path === '/ocs/v2.php/cloud/user');
    expect(ocs.length).toBeLessThanOrEqual(1);
  });

  test('entries carry the server checksum (oc:checksums; MD5, which repositories use) and etag', async () => {
    expect((await ada.get('/entry', '/hello.txt')).json()).toMatchObject({
      size: 5,
      checksum: `md5:${md5('hello')}`,
      etag: expect.stringMatching(/^"[0-9a-f]+"$/),
    });
  });
});

describe('chunked upload v2', () => {
  test('a large file goes up in chunks of 5 MiB and is assembled by MOVE', async () => {
    const start = fake.requests.length;
    const body = randomBytes(12 * MiB + 1);
    const answer = await ada.put('/large.bin', body);
    expect(answer.status, answer.text).toBe(201);
    expect(answer.json()).toMatchObject({ size: body.length, checksum: `md5:${md5(body)}` });
    expect(fake.file(ADA.id, '/large.bin')?.equals(body)).toBe(true);
    const upload = requestsSince(start)
      .filter((r) => r.path.startsWith(`/remote.php/dav/uploads/${ADA.id}/`))
      .map((r) => `${r.method} ${r.path.replace(/rds-[0-9a-f-]+/, '{id}')}`);
    expect(upload).toEqual([
      `MKCOL /remote.php/dav/uploads/${ADA.id}/{id}`,
      `PUT /remote.php/dav/uploads/${ADA.id}/{id}/1`,
      `PUT /remote.php/dav/uploads/${ADA.id}/{id}/2`,
      `PUT /remote.php/dav/uploads/${ADA.id}/{id}/3`,
      `MOVE /remote.php/dav/uploads/${ADA.id}/{id}/.file`,
    ]);
    expect(fake.uploads(ADA.id)).toEqual([]);
  });

  test('a file at the threshold goes up in one PUT', async () => {
    const start = fake.requests.length;
    const body = randomBytes(5 * MiB);
    expect((await ada.put('/at-threshold.bin', body)).status).toBe(201);
    expect(fake.file(ADA.id, '/at-threshold.bin')?.equals(body)).toBe(true);
    expect(requestsSince(start).some((r) => r.path.includes('/uploads/'))).toBe(false);
  });

  test('a refused chunk fails the upload and the upload folder is deleted', async () => {
    fake.failChunk = 2;
    const start = fake.requests.length;
    // One connection for both uploads: the second must not wait behind the unread rest of the first.
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const [answer, next] = await Promise.all([
      putOver(agent, '/refused.bin', randomBytes(11 * MiB)),
      putOver(agent, '/next.bin', Buffer.from('next')),
    ]);
    agent.destroy();
    expect(answer).toBe(502);
    expect(next).toBe(201);
    expect(fake.file(ADA.id, '/refused.bin')).toBeUndefined();
    expect(fake.uploads(ADA.id)).toEqual([]);
    expect(requestsSince(start).filter((r) => r.method === 'DELETE')).toHaveLength(1);
  });

  test('a MOVE answered too late is confirmed by PROPFIND, even over a file of the same size', async () => {
    expect((await ada.put('/late.bin', randomBytes(6 * MiB))).status).toBe(201);
    fake.moveAnswerDelayMs = 4000;
    const body = randomBytes(6 * MiB);
    const answer = await ada.put('/late.bin', body);
    expect(answer.status, answer.text).toBe(201);
    expect(fake.file(ADA.id, '/late.bin')?.equals(body)).toBe(true);
  });

  test('a MOVE that never assembles fails the upload, which leaves the old file and no folder', async () => {
    const old = randomBytes(6 * MiB);
    expect((await ada.put('/hung.bin', old)).status).toBe(201);
    fake.hangAssembly = true;
    const answer = await ada.put('/hung.bin', randomBytes(6 * MiB));
    expect(answer.status).toBe(504);
    expect(answer.json().messageKey).toBe('storage.unreachable');
    expect(fake.file(ADA.id, '/hung.bin')?.equals(old)).toBe(true);
    expect(fake.uploads(ADA.id)).toEqual([]);
  });

  test('an upload cut short by its sender leaves nothing behind', async () => {
    const target = `${port.url}/file?path=${encodeURIComponent('/cut.bin')}`;
    const sender = request(target, {
      method: 'PUT',
      headers: {
        ...bearer({ issuer: 'exporter', audience: 'webdav', user: 'ada' }),
        'content-type': 'application/octet-stream',
        'content-length': String(12 * MiB),
      },
    });
    sender.on('error', () => undefined);
    sender.write(randomBytes(7 * MiB));
    await sleep(300);
    sender.destroy();
    for (let tries = 0; tries < 30 && fake.uploads(ADA.id).length > 0; tries++) await sleep(100);
    expect(fake.uploads(ADA.id)).toEqual([]);
    expect(fake.file(ADA.id, '/cut.bin')).toBeUndefined();
  });
});

describe('plain WebDAV on Nextcloud', () => {
  test('a whole file is one GET, with no PROPFIND; a folder or a missing file is still told apart', async () => {
    const body = randomBytes(100_000);
    expect((await ada.put('/whole.bin', body)).status).toBe(201);
    const start = fake.requests.length;
    const whole = await ada.bytes('/whole.bin');
    expect(whole.status).toBe(200);
    expect(whole.headers['content-length']).toBe(String(body.length));
    expect(whole.body.equals(body)).toBe(true);
    expect(requestsSince(start).map((r) => r.method)).toEqual(['GET']);
    expect((await ada.mkdir('/a-folder')).status).toBe(201);
    expect((await ada.get('/file', '/a-folder')).json().messageKey).toBe('storage.notAFile');
    expect((await ada.get('/file', '/missing.bin')).json().messageKey).toBe('storage.notFound');
  });

  test('a server that ignores Range still gives the part asked for', async () => {
    const body = randomBytes(100_000);
    expect((await ada.put('/range.bin', body)).status).toBe(201);
    const part = await ada.bytes('/range.bin', { range: 'bytes=1000-1999' });
    expect(part.status).toBe(206);
    expect(part.headers['content-range']).toBe(`bytes 1000-1999/${body.length}`);
    expect(part.body.equals(body.subarray(1000, 2000))).toBe(true);
    const tail = await ada.bytes('/range.bin', { range: 'bytes=-10' });
    expect(tail.body.equals(body.subarray(-10))).toBe(true);
  });

  test('absolute hrefs and awkward names round-trip', async () => {
    fake.absoluteHrefs = true;
    const names = ['run 1', 'Ünïcödé ✓', 'hash#tag', '100% done', 'what?', 'a+b=c&d', '$@:;,'];
    expect((await ada.mkdir('/awkward')).status).toBe(201);
    for (const name of names) expect((await ada.put(`/awkward/${name}`, name)).status).toBe(201);
    const { entries } = await ada.list('/awkward');
    expect(entries.map((e) => e.name)).toEqual([...names].sort());
    for (const name of names) {
      expect(fake.file(ADA.id, `/awkward/${name}`)?.toString()).toBe(name);
      expect((await ada.get('/file', `/awkward/${name}`)).text).toBe(name);
    }
  });

  test('PROPFIND asks for one level at a time, never Depth infinity', () => {
    const depths = new Set(
      fake.requests.filter((r) => r.method === 'PROPFIND').map((r) => r.depth),
    );
    expect([...depths].sort()).toEqual(['0', '1']);
  });

  test("the fake's WebDAV passes litmus (basic, copymove, props, http; no locks: class 1)", async () => {
    const output = await new Promise<string>((resolve, reject) => {
      execFile(
        'litmus',
        [`${fake.url}/remote.php/dav/files/${LITMUS.id}/`, LITMUS.login, LITMUS.password],
        {
          cwd: mkdtempSync(join(tmpdir(), 'rds-litmus-')),
          env: { ...process.env, TESTS: 'basic copymove props http' },
          timeout: 30_000,
        },
        (error, stdout) =>
          error ? reject(new Error(`${error.message}\n${stdout}`)) : resolve(stdout),
      );
    });
    const summaries = [
      ...output.matchAll(/summary for `(\w+)': of (\d+) tests run: (\d+) passed, (\d+) failed/g),
    ];
    expect(
      summaries.map(([, suite, run, passed, failed]) => ({ suite, run, passed, failed })),
    ).toEqual([
      { suite: 'basic', run: '16', passed: '16', failed: '0' },
      { suite: 'copymove', run: '13', passed: '13', failed: '0' },
      { suite: 'props', run: '30', passed: '30', failed: '0' },
      { suite: 'http', run: '4', passed: '4', failed: '0' },
    ]);
  });
});
