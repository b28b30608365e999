import {
  mkdirSync,
  mkdtempSync,
  readFileSync,
  existsSync,
  readdirSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { ServiceDefinition } from '@rds/kit';
import { bearer, startTestService, type RunningService, call } from '@rds/kit/testing';
import { startTokenStorage } from '@rds/ports/testing';
import { definition } from '../src/index.ts';

let tokenStorage: RunningService;
let port: RunningService;
let root: string;
let outside: string;
const asExporter = bearer({ issuer: 'exporter', audience: 'local-folder', user: 'ada' });
const q = (path: string) => `?path=${encodeURIComponent(path)}`;
const get = (route: string, path: string, headers: Record<string, string> = {}) =>
  call(`${port.url}${route}${q(path)}`, { headers: { ...asExporter, ...headers } });
const AWKWARD = ['run 1', 'Ünïcödé ✓', 'hash#tag', '100% done', 'what?', "it's"];

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'rds-local-folder-'));
  outside = mkdtempSync(join(tmpdir(), 'rds-outside-'));
  writeFileSync(join(outside, 'secret.txt'), 'not yours');
  mkdirSync(join(root, 'data', 'nested', 'deeper'), { recursive: true });
  writeFileSync(join(root, 'data', 'a.csv'), 'x,y\n1,2\n');
  writeFileSync(join(root, 'data', 'nested', 'deeper', 'b.bin'), Buffer.alloc(10_000, 7));
  for (const name of AWKWARD) writeFileSync(join(root, 'data', `${name}.txt`), name);
  symlinkSync(join(outside, 'secret.txt'), join(root, 'data', 'link-out.txt'));
  symlinkSync(outside, join(root, 'data', 'folder-out'));
  symlinkSync(join(root, 'data', 'a.csv'), join(root, 'data', 'link-in.csv'));
  tokenStorage = await startTokenStorage();
  port = await startTestService(definition as ServiceDefinition<never>, {
    RDS_LOCAL_FOLDER_ROOT: root,
    RDS_TOKEN_STORAGE_URL: tokenStorage.url,
  });
});
afterAll(async () => {
  await port.close();
  await tokenStorage.close();
});

test('registers with token-storage at start-up', async () => {
  const answer = await call(`${tokenStorage.url}/service/local-folder`, {
    headers: bearer({ issuer: 'port-service', audience: 'token-storage' }),
  });
  expect(answer.json()).toMatchObject({
    servicename: 'local-folder',
    implements: ['fileStorage'],
    authType: 'credentials',
  });
});

describe('listing', () => {
  test('folders first, then files by name; links out of the root left out', async () => {
    const answer = await get('/folder', '/data');
    expect(answer.status).toBe(200);
    const names = answer
      .json<{ entries: { name: string; type: string }[] }>()
      .entries.map((e) => `${e.type}:${e.name}`);
    expect(names[0]).toBe('folder:nested');
    expect(names).toContain('file:a.csv');
    expect(names).toContain('file:link-in.csv');
    expect(names.join()).not.toContain('link-out');
    expect(names.join()).not.toContain('folder-out');
    for (const name of AWKWARD) expect(names).toContain(`file:${name}.txt`);
  });

  test('pages through with a cursor, without gaps or repeats', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const answer = await call(
        `${port.url}/folder${q('/data')}&limit=3${cursor ? `&cursor=${cursor}` : ''}`,
        { headers: asExporter },
      );
      const page = answer.json<{ entries: { name: string }[]; nextCursor?: string }>();
      expect(page.entries.length).toBeLessThanOrEqual(3);
      seen.push(...page.entries.map((e) => e.name));
      cursor = page.nextCursor;
    } while (cursor);
    const all = (await get('/folder', '/data'))
      .json<{ entries: { name: string }[] }>()
      .entries.map((e) => e.name);
    expect(seen).toEqual(all);
  });

  test('a file is not a folder: 409', async () => {
    expect((await get('/folder', '/data/a.csv')).json().messageKey).toBe('storage.notAFolder');
  });
});

describe('files', () => {
  test('stat tells type, size and time', async () => {
    expect((await get('/entry', '/data/nested/deeper/b.bin')).json()).toMatchObject({
      name: 'b.bin',
      path: '/data/nested/deeper/b.bin',
      type: 'file',
      size: 10_000,
    });
  });

  test.each(AWKWARD)('a file named %j is found and downloaded', async (name) => {
    const answer = await get('/file', `/data/${name}.txt`);
    expect(answer.status).toBe(200);
    expect(answer.text).toBe(name);
  });

  test('ranges: 206 with Content-Range, 416 outside the file', async () => {
    const part = await get('/file', '/data/a.csv', { range: 'bytes=2-4' });
    expect(part.status).toBe(206);
    expect(part.headers['content-range']).toBe('bytes 2-4/8');
    expect(part.text).toBe('y\n1');
    const tail = await get('/file', '/data/a.csv', { range: 'bytes=-2' });
    expect(tail.text).toBe('2\n');
    const outsideRange = await get('/file', '/data/a.csv', { range: 'bytes=100-' });
    expect(outsideRange.status).toBe(416);
    expect(outsideRange.headers['content-range']).toBe('bytes */8');
  });

  test('upload writes a new file whole, and replaces an existing one', async () => {
    const body = Buffer.from('fresh content ✓');
    const put = (path: string, data: Buffer) =>
      call(`${port.url}/file${q(path)}`, {
        method: 'PUT',
        headers: { ...asExporter, 'content-type': 'application/octet-stream' },
        body: data,
      });
    const created = await put('/data/new #1.txt', body);
    expect(created.status).toBe(201);
    expect(created.json()).toMatchObject({ name: 'new #1.txt', size: body.length, type: 'file' });
    expect(readFileSync(join(root, 'data', 'new #1.txt'))).toEqual(body);
    expect((await put('/data/new #1.txt', Buffer.from('v2'))).status).toBe(201);
    expect(readFileSync(join(root, 'data', 'new #1.txt'), 'utf8')).toBe('v2');
    expect(readdirSync(join(root, 'data')).filter((n) => n.endsWith('.partial'))).toEqual([]);
  });

  test('an upload into a missing folder: 409, nothing written', async () => {
    const answer = await call(`${port.url}/file${q('/nowhere/x.txt')}`, {
      method: 'PUT',
      headers: { ...asExporter, 'content-type': 'application/octet-stream' },
      body: 'x',
    });
    expect(answer.status).toBe(409);
    expect(answer.json().messageKey).toBe('storage.parentMissing');
    expect(existsSync(join(root, 'nowhere'))).toBe(false);
  });

  test('folders are made with their parents; deleting removes them', async () => {
    const made = await call(`${port.url}/folder${q('/made/a/b')}`, {
      method: 'POST',
      headers: asExporter,
    });
    expect(made.status).toBe(201);
    expect(made.json()).toMatchObject({ path: '/made/a/b', type: 'folder' });
    expect(
      (await call(`${port.url}/entry${q('/made')}`, { method: 'DELETE', headers: asExporter }))
        .status,
    ).toBe(204);
    expect(existsSync(join(root, 'made'))).toBe(false);
  });
});

describe('no request reaches outside the root', () => {
  test.each([
    ['/../outside', 400, 'storage.badPath'],
    ['/data/../../etc/passwd', 400, 'storage.badPath'],
    ['data/a.csv', 400, 'request.invalid'],
    ['/data/link-out.txt', 403, 'storage.outsideRoot'],
    ['/data/folder-out/secret.txt', 403, 'storage.outsideRoot'],
    ['/etc/passwd', 404, 'storage.notFound'],
  ])('%s: %i %s', async (path, status, messageKey) => {
    for (const route of ['/file', '/entry', '/folder']) {
      const answer = await get(route, path);
      expect(answer.status, route).toBe(status);
      expect(answer.json().messageKey).toBe(messageKey);
      expect(answer.text).not.toContain('not yours');
    }
  });

  test('encoded dots stay dots: %2e%2e is refused like ..', async () => {
    const answer = await call(`${port.url}/file?path=/data/%2e%2e/%2e%2e/etc/passwd`, {
      headers: asExporter,
    });
    expect(answer.status).toBe(400);
    expect(answer.json().messageKey).toBe('storage.badPath');
  });

  test('no writes through links that lead out', async () => {
    const upload = await call(`${port.url}/file${q('/data/folder-out/planted.txt')}`, {
      method: 'PUT',
      headers: { ...asExporter, 'content-type': 'application/octet-stream' },
      body: 'x',
    });
    expect(upload.status).toBe(403);
    expect(existsSync(join(outside, 'planted.txt'))).toBe(false);
    const mkdir = await call(`${port.url}/folder${q('/data/folder-out/planted')}`, {
      method: 'POST',
      headers: asExporter,
    });
    expect(mkdir.status).toBe(403);
    const del = await call(`${port.url}/entry${q('/data/folder-out')}`, {
      method: 'DELETE',
      headers: asExporter,
    });
    expect(del.status).toBe(403);
    expect(readFileSync(join(outside, 'secret.txt'), 'utf8')).toBe('not yours');
  });

  test('the root itself cannot be deleted', async () => {
    expect(
      (await call(`${port.url}/entry${q('/')}`, { method: 'DELETE', headers: asExporter })).status,
    ).toBe(403);
  });

  test('a call without a service token is refused', async () => {
    expect((await call(`${port.url}/file${q('/data/a.csv')}`)).status).toBe(401);
  });
});
