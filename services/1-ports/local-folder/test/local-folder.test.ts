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
import { bearer, startTestService, type RunningService, call } from '@rds/kit/testing';
import { startTokenStorage } from '@rds/token-storage/testing';
import { definition, userFolder } from '../src/index.ts';

let tokenStorage: RunningService;
let port: RunningService;
/** The port's root, and ada's own folder in it, where these tests' files are. */
let portRoot: string;
let root: string;
let outside: string;
const asExporter = bearer({ issuer: 'exporter', audience: 'local-folder', user: 'ada' });
const q = (path: string) => `?path=${encodeURIComponent(path)}`;
const get = (route: string, path: string, headers: Record<string, string> = {}) =>
  call(`${port.url}${route}${q(path)}`, { headers: { ...asExporter, ...headers } });
const AWKWARD = ['run 1', 'Ünïcödé ✓', 'hash#tag', '100% done', 'what?', "it's"];

beforeAll(async () => {
  portRoot = mkdtempSync(join(tmpdir(), 'rds-local-folder-'));
  root = userFolder(portRoot, 'default', 'ada');
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
  port = await startTestService(definition, {
    RDS_LOCAL_FOLDER_ROOT: portRoot,
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

describe('each user has a folder of their own', () => {
  const as = (user?: string, issuer = 'exporter', tenant?: string) =>
    bearer({ issuer, audience: 'local-folder', ...(user ? { user } : {}), tenant });
  const put = (path: string, headers: Record<string, string>, body = 'x') =>
    call(`${port.url}/file${q(path)}`, {
      method: 'PUT',
      headers: { ...headers, 'content-type': 'application/octet-stream' },
      body,
    });

  test('bob neither sees nor deletes what alice uploads; his folder is made on first use', async () => {
    expect((await put('/alice.txt', as('alice'), 'mine')).status).toBe(201);
    expect(readFileSync(join(userFolder(portRoot, 'default', 'alice'), 'alice.txt'), 'utf8')).toBe(
      'mine',
    );
    const bobs = await call(`${port.url}/folder${q('/')}`, { headers: as('bob') });
    expect(bobs.status).toBe(200);
    expect(bobs.json<{ entries: unknown[] }>().entries).toEqual([]);
    expect(existsSync(userFolder(portRoot, 'default', 'bob'))).toBe(true);
    for (const [method, route] of [
      ['GET', '/file'],
      ['GET', '/entry'],
      ['DELETE', '/entry'],
    ]) {
      const answer = await call(`${port.url}${route}${q('/alice.txt')}`, {
        method,
        headers: as('bob'),
      });
      expect(answer.status, `${method} ${route}`).toBe(404);
    }
    expect(existsSync(join(userFolder(portRoot, 'default', 'alice'), 'alice.txt'))).toBe(true);
  });

  test('the same user in another tenant has another folder', async () => {
    expect((await put('/tenant.txt', as('carol', 'exporter', 'uni-a'))).status).toBe(201);
    const elsewhere = await call(`${port.url}/entry${q('/tenant.txt')}`, {
      headers: as('carol', 'exporter', 'uni-b'),
    });
    expect(elsewhere.status).toBe(404);
    expect(existsSync(join(userFolder(portRoot, 'uni-a', 'carol'), 'tenant.txt'))).toBe(true);
  });

  test.each(['..', '.', '../ada', '/etc', 'a/../../x', '%2e%2e', 'x'.repeat(300), '\ud800'])(
    'a user named %j stays in a folder of their own',
    async (user) => {
      expect((await put('/planted.txt', as(user))).status).toBe(201);
      const own = userFolder(portRoot, 'default', user);
      expect(readFileSync(join(own, 'planted.txt'), 'utf8')).toBe('x');
      expect(own.startsWith(join(portRoot, 'default') + '/')).toBe(true);
      expect(readdirSync(join(portRoot, 'default'))).not.toContain('planted.txt');
      expect(existsSync(join(root, 'planted.txt'))).toBe(false);
    },
  );

  test('a tenant named .. stays under the root', async () => {
    expect((await put('/planted.txt', as('eve', 'exporter', '..'))).status).toBe(201);
    expect(existsSync(join(userFolder(portRoot, '..', 'eve'), 'planted.txt'))).toBe(true);
    expect(userFolder(portRoot, '..', 'eve').startsWith(portRoot + '/')).toBe(true);
  });

  test('a token that names no user is refused: 403', async () => {
    const answer = await call(`${port.url}/folder${q('/')}`, { headers: as() });
    expect(answer.status).toBe(403);
    expect(answer.json().messageKey).toBe('auth.noUser');
  });

  test.each(['web', 'local-archive', 'port-service'])(
    'a token from %s, which works with no user files, is refused: 403',
    async (issuer) => {
      const answer = await call(`${port.url}/file${q('/data/a.csv')}`, {
        headers: as('ada', issuer),
      });
      expect(answer.status).toBe(403);
      expect(answer.text).not.toContain('x,y');
    },
  );
});

describe('links and odd names', () => {
  test('deleting a link deletes the link, never the folder it points to', async () => {
    mkdirSync(join(root, 'kept'));
    writeFileSync(join(root, 'kept', 'keep.txt'), 'still here');
    symlinkSync(join(root, 'kept'), join(root, 'kept-link'));
    symlinkSync(join(root, 'kept', 'keep.txt'), join(root, 'keep-link.txt'));
    for (const link of ['/kept-link', '/keep-link.txt']) {
      const answer = await call(`${port.url}/entry${q(link)}`, {
        method: 'DELETE',
        headers: asExporter,
      });
      expect(answer.status, link).toBe(204);
      expect(existsSync(join(root, link))).toBe(false);
    }
    expect(readFileSync(join(root, 'kept', 'keep.txt'), 'utf8')).toBe('still here');
  });

  test('a name over 255 bytes is a 400 problem, whatever the operation', async () => {
    const long = `/${'é'.repeat(128)}`;
    for (const [method, route] of [
      ['GET', '/file'],
      ['GET', '/entry'],
      ['GET', '/folder'],
      ['POST', '/folder'],
      ['DELETE', '/entry'],
      ['PUT', '/file'],
    ] as const) {
      const answer = await call(`${port.url}${route}${q(long)}`, {
        method,
        headers: { ...asExporter, 'content-type': 'application/octet-stream' },
        ...(method === 'PUT' ? { body: 'x' } : {}),
      });
      expect(answer.status, `${method} ${route}`).toBe(400);
      expect(answer.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(answer.json().messageKey).toBe('storage.nameTooLong');
    }
  });

  test('a name of exactly 255 bytes is written and read', async () => {
    const name = `/${'a'.repeat(255)}`;
    const put = await call(`${port.url}/file${q(name)}`, {
      method: 'PUT',
      headers: { ...asExporter, 'content-type': 'application/octet-stream' },
      body: 'long',
    });
    expect(put.status, put.text).toBe(201);
    expect((await get('/file', name)).text).toBe('long');
  });

  test('a folder under a link that leads nowhere is a 409 problem, and nothing is made', async () => {
    const gone = join(outside, 'gone');
    symlinkSync(gone, join(root, 'dangling'));
    const answer = await call(`${port.url}/folder${q('/dangling/sub')}`, {
      method: 'POST',
      headers: asExporter,
    });
    expect(answer.status).toBe(409);
    expect(answer.json().messageKey).toBe('storage.linkLeadsNowhere');
    expect(existsSync(gone)).toBe(false);
    const upload = await call(`${port.url}/file${q('/dangling/x.txt')}`, {
      method: 'PUT',
      headers: { ...asExporter, 'content-type': 'application/octet-stream' },
      body: 'x',
    });
    expect(upload.status).toBe(409);
  });

  test('links that loop are a problem, not a failure', async () => {
    symlinkSync(join(root, 'loop-b'), join(root, 'loop-a'));
    symlinkSync(join(root, 'loop-a'), join(root, 'loop-b'));
    for (const route of ['/file', '/entry', '/folder']) {
      const answer = await get(route, '/loop-a');
      expect(answer.status, route).toBeGreaterThanOrEqual(400);
      expect(answer.status, route).toBeLessThan(500);
    }
    const made = await call(`${port.url}/folder${q('/loop-a/sub')}`, {
      method: 'POST',
      headers: asExporter,
    });
    expect(made.status).toBe(409);
  });
});
