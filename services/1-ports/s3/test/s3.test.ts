import { createHash, randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { bearer, call, type RunningService } from '@rds/kit/testing';
import { startTokenStorage } from '@rds/token-storage/testing';
import type { UserToken, UserTokens } from '@rds/ports';
import { BucketFiles, md5Of } from '../src/bucket-files.ts';
import { S3Clients } from '../src/clients.ts';
import { problemOf } from '../src/errors.ts';
import { KeySpace } from '../src/keys.ts';
import { S3Session } from '../src/session.ts';
import {
  ACCESS_KEY,
  BUCKET,
  client,
  closedPortUrl,
  connect,
  startPort,
  startS3rver,
  type Entry,
  type RunningS3,
} from './harness.ts';

const PREFIX = 'users/rds/';
const AWKWARD = ['run 1', 'Ünïcödé ✓', 'hash#tag', '100% done', 'what?', 'one+one', "it's"];
const DEEP = Array.from({ length: 12 }, (_, i) => `l${String(i + 1).padStart(2, '0')}`);
const MANY_FILES = Array.from({ length: 13 }, (_, i) => `f${String(i).padStart(2, '0')}.txt`);
const md5 = (data: Buffer | string) => createHash('md5').update(data).digest('hex');

let s3: RunningS3;
let tokenStorage: RunningService;
let port: RunningService;
const ada = client(() => port, 'ada');

async function seed(key: string, body: Buffer | string = ''): Promise<void> {
  await s3.client.send(
    new PutObjectCommand({
      Bucket: BUCKET,
      Key: key,
      Body: body,
      ContentLength: Buffer.byteLength(body),
    }),
  );
}

async function exists(key: string): Promise<boolean> {
  return s3.client.send(new HeadObjectCommand({ Bucket: BUCKET, Key: key })).then(
    () => true,
    () => false,
  );
}

beforeAll(async () => {
  [s3, tokenStorage] = await Promise.all([startS3rver(), startTokenStorage()]);
  await Promise.all([
    seed(`${PREFIX}data/a.csv`, 'x,y\n1,2\n'),
    // s3rver finds folders only from keys one level below them; S3 from keys at any depth.
    seed(`${PREFIX}data/nested/`),
    seed(`${PREFIX}data/nested/deeper/b.bin`, Buffer.alloc(10_000, 7)),
    ...AWKWARD.map((name) => seed(`${PREFIX}data/${name}.txt`, name)),
    ...MANY_FILES.map((name) => seed(`${PREFIX}many/${name}`, name)),
    seed(`${PREFIX}many/`),
    seed(`${PREFIX}many/d0/x`),
    seed(`${PREFIX}many/d1/x`),
    seed(`${PREFIX}many/e5/`),
    seed(`${PREFIX}many/g/x`),
    seed('secret.txt', 'not yours'),
    seed('users/rds-evil/loot.txt', 'not yours'),
    seed('users/other/x.txt', 'not yours'),
  ]);
  port = await startPort(tokenStorage, { RDS_S3_ENDPOINT: s3.url, RDS_S3_PREFIX: 'users/rds' });
  await connect(tokenStorage, 'ada', ACCESS_KEY, ACCESS_KEY);
  expect((await ada.mkdir(`/deep/${DEEP.join('/')}`)).status).toBe(201);
  expect((await ada.put(`/deep/${DEEP.join('/')}/leaf.txt`, 'at the bottom')).status).toBe(201);
});
afterAll(async () => {
  await port?.close();
  await tokenStorage?.close();
  await s3?.close();
});

test('registers with token-storage as a service reached with an access key', async () => {
  const answer = await call(`${tokenStorage.url}/service/s3`, {
    headers: bearer({ issuer: 'port-service', audience: 'token-storage' }),
  });
  expect(answer.json()).toMatchObject({
    servicename: 's3',
    implements: ['fileStorage'],
    authType: 'credentials',
    credentials: { userId: true, password: true },
  });
});

describe('listing', () => {
  test('folders are key prefixes; entries come in key order; awkward names survive', async () => {
    const listing = await ada.list('/data');
    expect(listing.path).toBe('/data');
    expect(listing.nextCursor).toBeUndefined();
    const names = listing.entries.map((e) => `${e.type}:${e.name}`);
    const expected = ['a.csv', 'nested/', ...AWKWARD.map((n) => `${n}.txt`)]
      .sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)))
      .map((n) => (n.endsWith('/') ? `folder:${n.slice(0, -1)}` : `file:${n}`));
    expect(names).toEqual(expected);
    expect(listing.entries.find((e) => e.name === 'a.csv')).toMatchObject({
      path: '/data/a.csv',
      size: 8,
    });
  });

  test('a folder made by a marker and folders made by keys below are alike; the marker is no entry', async () => {
    const names = (await ada.list('/many')).entries.map((e) => `${e.type}:${e.name}`);
    expect(names).toEqual([
      'folder:d0',
      'folder:d1',
      'folder:e5',
      ...MANY_FILES.map((n) => `file:${n}`),
      'folder:g',
    ]);
    expect((await ada.list('/many/e5')).entries).toEqual([]);
  });

  test.each([1, 2, 5, 16, 17])(
    'pages of %i follow each other without gaps or repeats',
    async (limit) => {
      for (const folder of ['/many', '/data']) {
        const all = (await ada.list(folder)).entries.map((e) => e.path);
        const seen: string[] = [];
        let cursor: string | undefined;
        do {
          const page = await ada.list(
            folder,
            `&limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
          );
          expect(page.entries.length).toBeGreaterThan(0);
          expect(page.entries.length).toBeLessThanOrEqual(limit);
          seen.push(...page.entries.map((e) => e.path));
          cursor = page.nextCursor;
        } while (cursor);
        expect(seen).toEqual(all);
      }
    },
  );

  test('a deep tree lists level by level', async () => {
    let path = '/deep';
    for (const level of DEEP) {
      expect((await ada.list(path)).entries).toEqual([
        { name: level, path: `${path}/${level}`, type: 'folder' },
      ]);
      path = `${path}/${level}`;
    }
    expect((await ada.list(path)).entries.map((e) => e.name)).toEqual(['leaf.txt']);
    expect((await ada.get('/file', `${path}/leaf.txt`)).text).toBe('at the bottom');
  });

  test('a file is no folder (409), a missing folder 404, a forged cursor 400', async () => {
    expect((await ada.get('/folder', '/data/a.csv')).json().messageKey).toBe('storage.notAFolder');
    const missing = await ada.get('/folder', '/nothing/here');
    expect(missing.status).toBe(404);
    expect(missing.json().messageKey).toBe('storage.notFound');
    for (const cursor of ['Li4', 'YS9i', '!!']) {
      const forged = await call(`${port.url}/folder?path=/many&cursor=${cursor}`, {
        headers: bearer({ issuer: 'exporter', audience: 's3', user: 'ada' }),
      });
      expect(forged.status, cursor).toBe(400);
    }
  });
});

describe('files', () => {
  test('stat: a file with size, time and MD5 from its ETag; folders, implicit or not', async () => {
    const file = (await ada.get('/entry', '/data/nested/deeper/b.bin')).json<Entry>();
    expect(file).toMatchObject({
      name: 'b.bin',
      path: '/data/nested/deeper/b.bin',
      type: 'file',
      size: 10_000,
      checksum: `md5:${md5(Buffer.alloc(10_000, 7))}`,
    });
    expect(Date.parse(file.modified!)).toBeGreaterThan(Date.now() - 60_000);
    const marked = (await ada.get('/entry', '/data/nested')).json<Entry>();
    expect(marked).toMatchObject({ name: 'nested', path: '/data/nested', type: 'folder' });
    expect(Date.parse(marked.modified!)).toBeGreaterThan(Date.now() - 60_000);
    expect((await ada.get('/entry', '/many/d0')).json()).toEqual({
      name: 'd0',
      path: '/many/d0',
      type: 'folder',
    });
    expect((await ada.get('/entry', '/')).json()).toEqual({ name: '', path: '/', type: 'folder' });
  });

  test.each(AWKWARD)('a file named %j is found, stated and downloaded', async (name) => {
    const path = `/data/${name}.txt`;
    expect((await ada.get('/entry', path)).json()).toMatchObject({ path, type: 'file' });
    const answer = await ada.get('/file', path);
    expect(answer.status).toBe(200);
    expect(answer.text).toBe(name);
  });

  test('ranges: 206 with Content-Range, 416 outside the file', async () => {
    const part = await ada.get('/file', '/data/a.csv', { range: 'bytes=2-4' });
    expect(part.status).toBe(206);
    expect(part.headers['content-range']).toBe('bytes 2-4/8');
    expect(part.text).toBe('y\n1');
    const tail = await ada.get('/file', '/data/a.csv', { range: 'bytes=-2' });
    expect([tail.status, tail.text]).toEqual([206, '2\n']);
    const whole = await ada.get('/file', '/data/a.csv');
    expect([whole.status, whole.headers['accept-ranges'], whole.headers['content-length']]).toEqual(
      [200, 'bytes', '8'],
    );
    const outside = await ada.get('/file', '/data/a.csv', { range: 'bytes=100-' });
    expect(outside.status).toBe(416);
    expect(outside.headers['content-range']).toBe('bytes */8');
  });

  test('a folder is no file (409); a missing file 404', async () => {
    expect((await ada.get('/file', '/data/nested')).json().messageKey).toBe('storage.notAFile');
    const missing = await ada.get('/file', '/data/nothing.txt');
    expect(missing.status).toBe(404);
    expect(missing.json().messageKey).toBe('storage.notFound');
  });

  test('upload writes a file in one PUT, and replaces it', async () => {
    const body = Buffer.from('fresh content ✓');
    const before = s3.requests.length;
    const created = await ada.put('/data/new #1.txt', body);
    expect(created.status, created.text).toBe(201);
    expect(created.json()).toMatchObject({
      name: 'new #1.txt',
      path: '/data/new #1.txt',
      type: 'file',
      size: body.length,
      checksum: `md5:${md5(body)}`,
    });
    expect((await s3.requestsSince(before)).some((r) => r.includes('uploads'))).toBe(false);
    expect((await ada.bytes('/data/new #1.txt')).body).toEqual(body);
    expect((await ada.put('/data/new #1.txt', 'v2')).status).toBe(201);
    expect((await ada.get('/file', '/data/new #1.txt')).text).toBe('v2');
    expect((await ada.put('/data/empty', '')).json()).toMatchObject({ size: 0 });
  });

  test('a large file goes up in parts and comes back whole', async () => {
    const body = randomBytes(12 * 1024 * 1024);
    const before = s3.requests.length;
    const created = await ada.put('/data/large.bin', body);
    expect(created.status, created.text).toBe(201);
    const entry = created.json<Entry>();
    expect(entry.size).toBe(body.length);
    const sent = await s3.requestsSince(before);
    expect(sent.some((r) => r.startsWith('POST') && r.includes('uploads'))).toBe(true);
    expect(sent.filter((r) => r.includes('partNumber=')).length).toBe(2);
    const back = await ada.bytes('/data/large.bin');
    expect(back.status).toBe(200);
    expect(md5(back.body)).toBe(md5(body));
    // s3rver gives a multipart object its MD5 as ETag (S3 does not); any checksum must be true.
    if (entry.checksum) expect(entry.checksum).toBe(`md5:${md5(body)}`);
    const part = await ada.bytes('/data/large.bin', { range: 'bytes=9000000-9000099' });
    expect(part.status).toBe(206);
    expect(part.body).toEqual(body.subarray(9_000_000, 9_000_100));
  });

  test('an upload broken off leaves nothing behind, and the port serves on', async () => {
    await ada.breakOff('/data/broken.bin', 20 * 1024 * 1024, randomBytes(6 * 1024 * 1024));
    await sleep(300);
    expect(await exists(`${PREFIX}data/broken.bin`)).toBe(false);
    expect((await ada.get('/entry', '/data/broken.bin')).status).toBe(404);
    expect((await ada.get('/entry', '/data/a.csv')).status).toBe(200);
  });

  test('an upload needs its folder (409), and cannot replace a folder (409)', async () => {
    const nowhere = await ada.put('/nowhere/x.txt', 'x');
    expect(nowhere.status).toBe(409);
    expect(nowhere.json().messageKey).toBe('storage.parentMissing');
    expect(await exists(`${PREFIX}nowhere/x.txt`)).toBe(false);
    expect((await ada.put('/data/nested', 'x')).json().messageKey).toBe('storage.notAFile');
    expect((await ada.put('/data/a.csv/x', 'x')).json().messageKey).toBe('storage.parentMissing');
  });

  test('folders are made as markers, with those above; deleting keeps the folder above', async () => {
    const made = await ada.mkdir('/made/a/b');
    expect(made.status).toBe(201);
    expect(made.json()).toEqual({ name: 'b', path: '/made/a/b', type: 'folder' });
    for (const key of ['made/', 'made/a/', 'made/a/b/'])
      expect(await exists(`${PREFIX}${key}`), key).toBe(true);
    expect((await ada.get('/entry', '/made/a')).json()).toMatchObject({ type: 'folder' });
    expect((await ada.mkdir('/made/a/b')).status).toBe(201);
    expect((await ada.put('/made/a/b/file.txt', 'in b')).status).toBe(201);
    expect((await ada.mkdir('/data/a.csv/sub')).json().messageKey).toBe('storage.notAFolder');

    expect((await ada.remove('/made/a/b')).status).toBe(204);
    expect((await ada.get('/entry', '/made/a/b')).status).toBe(404);
    expect((await ada.get('/entry', '/made/a/b/file.txt')).status).toBe(404);
    expect((await ada.list('/made/a')).entries).toEqual([]);

    expect((await ada.put('/made/a/last.txt', 'x')).status).toBe(201);
    expect((await ada.remove('/made/a/last.txt')).status).toBe(204);
    expect((await ada.list('/made/a')).entries).toEqual([]);
    expect((await ada.remove('/made/a/last.txt')).status).toBe(404);
  });

  test('deleting a deep tree removes every object under it', async () => {
    expect((await ada.remove('/deep')).status).toBe(204);
    const left = await s3.client.send(
      new ListObjectsV2Command({ Bucket: BUCKET, Prefix: `${PREFIX}deep/` }),
    );
    expect(left.Contents ?? []).toEqual([]);
    expect((await ada.get('/entry', '/deep')).status).toBe(404);
  });
});

describe('no request reaches outside the prefix', () => {
  test('the root lists only what lies under the prefix', async () => {
    const names = (await ada.list('/')).entries.map((e) => e.name);
    expect(names).toEqual(expect.arrayContaining(['data', 'many']));
    expect(names).not.toContain('secret.txt');
    expect(names).not.toContain('loot.txt');
    expect(names.join()).not.toMatch(/rds-evil|other|users/);
  });

  test.each([
    ['/../secret.txt', 400, 'storage.badPath'],
    ['/../../secret.txt', 400, 'storage.badPath'],
    ['/data/../../rds-evil/loot.txt', 400, 'storage.badPath'],
    ['data/a.csv', 400, 'request.invalid'],
    ['/secret.txt', 404, 'storage.notFound'],
    ['/users/other/x.txt', 404, 'storage.notFound'],
  ])('%s: %i %s', async (path, status, messageKey) => {
    for (const route of ['/file', '/entry', '/folder']) {
      const answer = await ada.get(route, path);
      expect(answer.status, route).toBe(status);
      expect(answer.json().messageKey).toBe(messageKey);
      expect(answer.text).not.toContain('not yours');
    }
  });

  test('encoded dots stay dots: %2e%2e is refused like ..', async () => {
    const answer = await call(`${port.url}/file?path=/%2e%2e/secret.txt`, {
      headers: bearer({ issuer: 'exporter', audience: 's3', user: 'ada' }),
    });
    expect(answer.status).toBe(400);
    expect(answer.json().messageKey).toBe('storage.badPath');
  });

  test('no writes or deletes above the prefix', async () => {
    expect((await ada.put('/../planted.txt', 'x')).status).toBe(400);
    expect((await ada.mkdir('/../planted')).status).toBe(400);
    expect((await ada.remove('/../secret.txt')).status).toBe(400);
    expect((await ada.remove('/../rds-evil')).status).toBe(400);
    expect(await exists('users/planted.txt')).toBe(false);
    expect(await exists('planted.txt')).toBe(false);
    expect(await exists('secret.txt')).toBe(true);
    expect(await exists('users/rds-evil/loot.txt')).toBe(true);
  });

  test('the root itself cannot be deleted', async () => {
    expect((await ada.remove('/')).status).toBe(403);
  });
});

describe('failures are told apart, and the port serves on', () => {
  test('refused credentials: 403 storage.credentialsRefused; fixed credentials work', async () => {
    const mallory = client(() => port, 'mallory');
    await connect(tokenStorage, 'mallory', 'NOT-A-KEY', 'whatever');
    for (const answer of [
      await mallory.get('/folder', '/data'),
      await mallory.get('/file', '/data/a.csv'),
      await mallory.put('/data/by-mallory.txt', 'x'),
    ]) {
      expect(answer.status).toBe(403);
      expect(answer.json().messageKey).toBe('storage.credentialsRefused');
    }
    expect(await exists(`${PREFIX}data/by-mallory.txt`)).toBe(false);
    expect((await ada.get('/entry', '/data/a.csv')).status).toBe(200);
    await connect(tokenStorage, 'mallory', ACCESS_KEY, ACCESS_KEY);
    expect((await mallory.get('/entry', '/data/a.csv')).status).toBe(200);
  });

  test('a user who never connected: 403 storage.credentialsRefused; a bad path 400 still', async () => {
    const stranger = client(() => port, 'stranger');
    const answer = await stranger.get('/entry', '/data/a.csv');
    expect(answer.status).toBe(403);
    expect(answer.json().messageKey).toBe('storage.credentialsRefused');
    expect((await stranger.get('/entry', '/../secret.txt')).status).toBe(400);
  });

  test('an endpoint nobody answers at: 504 storage.unreachable', async () => {
    const lost = await startPort(tokenStorage, { RDS_S3_ENDPOINT: await closedPortUrl() });
    try {
      const answer = await client(() => lost, 'ada').get('/entry', '/data/a.csv');
      expect(answer.status).toBe(504);
      expect(answer.json().messageKey).toBe('storage.unreachable');
    } finally {
      await lost.close();
    }
    expect((await ada.get('/entry', '/data/a.csv')).status).toBe(200);
  });

  test('a call without a service token is refused: 401', async () => {
    expect((await call(`${port.url}/file?path=/data/a.csv`)).status).toBe(401);
  });
});

describe('credentials replaced meanwhile', () => {
  const wrong = { servicename: 's3', kind: 'credentials' as const, userId: 'OLD', password: 'x' };
  const right = { ...wrong, userId: ACCESS_KEY, password: ACCESS_KEY };

  /** Stats a file for a user whose stored credentials were `wrong`, and are `since` after a refusal. */
  async function statWith(since: UserToken) {
    const clients = new S3Clients({
      url: s3.url,
      region: 'us-east-1',
      forcePathStyle: true,
      timeoutMs: 5000,
    });
    let rereads = 0;
    const tokens = {
      current: async () => wrong,
      afterRejection: async () => {
        rereads += 1;
        return since;
      },
    } as unknown as UserTokens;
    const before = s3.requests.length;
    const session = await S3Session.open(clients, tokens);
    const answer = await new BucketFiles(session, BUCKET, KeySpace.of(PREFIX))
      .stat('/data/a.csv')
      .catch((error: unknown) => error)
      .finally(() => clients.close());
    const heads = (await s3.requestsSince(before)).filter((r) => r.startsWith('HEAD')).length;
    return { answer, rereads, heads };
  }

  test('after a refusal, the credentials stored since are tried once', async () => {
    const { answer, rereads, heads } = await statWith(right);
    expect(answer).toMatchObject({ path: '/data/a.csv', size: 8 });
    expect([rereads, heads]).toEqual([1, 2]);
  });

  test('the same credentials are not tried twice', async () => {
    const { answer, rereads, heads } = await statWith(wrong);
    expect(answer).toMatchObject({ init: { messageKey: 'storage.credentialsRefused' } });
    expect([rereads, heads]).toEqual([1, 1]);
  });
});

describe('rules without a server', () => {
  test('an ETag is an MD5 only for a single part stored without KMS or customer keys', () => {
    const hex = md5('x');
    expect(md5Of({ ETag: `"${hex}"` })).toBe(`md5:${hex}`);
    expect(md5Of({ ETag: `"${hex}"`, ServerSideEncryption: 'AES256' })).toBe(`md5:${hex}`);
    expect(md5Of({ ETag: `"${hex}-3"` })).toBeUndefined();
    expect(md5Of({ ETag: `"${hex}"`, ServerSideEncryption: 'aws:kms' })).toBeUndefined();
    expect(md5Of({ ETag: `"${hex}"`, SSECustomerAlgorithm: 'AES256' })).toBeUndefined();
  });

  test('S3 refusing a key, a signature or an action means refused credentials', () => {
    const answer = (name: string, status: number | undefined) =>
      new S3ServiceException({ name, $fault: 'client', $metadata: { httpStatusCode: status } });
    for (const name of ['InvalidAccessKeyId', 'SignatureDoesNotMatch', 'AccessDenied', 'Forbidden'])
      expect(problemOf(answer(name, 403), '/a')).toMatchObject({
        statusCode: 403,
        init: { messageKey: 'storage.credentialsRefused' },
      });
    expect(problemOf(answer('NoSuchKey', 404), '/a')).toMatchObject({ statusCode: 404 });
    expect(problemOf(answer('NoSuchBucket', 404), '/a')).toMatchObject({ statusCode: 502 });
    expect(problemOf(answer('SlowDown', 503), '/a')).toMatchObject({ statusCode: 504 });
    expect(problemOf(answer('TimeoutError', undefined), '/a')).toMatchObject({ statusCode: 504 });
  });

  test('RDS_S3_PREFIX: slashes optional, nothing above it', () => {
    expect(KeySpace.of(undefined).prefix).toBe('');
    expect(KeySpace.of('/').prefix).toBe('');
    expect(KeySpace.of('/users/rds/').prefix).toBe('users/rds/');
    expect(KeySpace.of('users/rds').folderKey('/a b')).toBe('users/rds/a b/');
    expect(() => KeySpace.of('users/../x')).toThrow(/RDS_S3_PREFIX/);
  });
});
