import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { bearer, call } from '@rds/kit/testing';
import { clientOf, expectProblem, FILES, startStack, type Client, type Stack } from './harness.ts';

interface Entry {
  name: string;
  path: string;
  type: 'file' | 'folder';
  size?: number;
}
interface Page {
  path: string;
  entries: Entry[];
  nextCursor?: string;
}

let stack: Stack;
let ada: Client;
const folder = (service: string, path: string, more = '') =>
  ada.get(`/storage/${service}/folder?path=${encodeURIComponent(path)}${more}`);

async function register(registration: Record<string, unknown>): Promise<void> {
  const answer = await call(`${stack.tokenStorage.url}/service`, {
    method: 'POST',
    headers: bearer({ issuer: 'operator', audience: 'token-storage' }),
    json: registration,
  });
  expect(answer.status, answer.text).toBe(200);
}

beforeAll(async () => {
  stack = await startStack();
  ada = clientOf(stack.research.url, { user: 'ada' });
});
afterAll(() => stack.close());

describe('browsing a storage port', () => {
  test('the top of the local folder: folders first, links out of it left out', async () => {
    const answer = await folder('local-folder', '/');
    expect(answer.status, answer.text).toBe(200);
    const page = answer.json<Page>();
    expect(page.path).toBe('/');
    expect(page.entries.map((e) => `${e.type} ${e.path}`)).toEqual([
      'folder /data',
      'file /top.txt',
    ]);
  });

  test('names with spaces, unicode, %, # and ? arrive intact, with their sizes', async () => {
    const answer = await folder('local-folder', '/data/run 1');
    expect(answer.status, answer.text).toBe(200);
    const page = answer.json<Page>();
    expect(page.path).toBe('/data/run 1');
    const files = page.entries.map((e) => [e.path, e.size]);
    expect(files).toEqual(
      ['/data/run 1/100% done#?.csv', '/data/run 1/Ünïcödé ✓.txt'].map((path) => [
        path,
        Buffer.byteLength(FILES[path]!),
      ]),
    );
    expect(page.entries.map((e) => e.name)).toEqual(['100% done#?.csv', 'Ünïcödé ✓.txt']);
  });

  test('a folder a page at a time with the port’s cursor, without gaps or repeats', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const answer = await folder(
        'local-folder',
        '/data',
        `&limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      );
      expect(answer.status, answer.text).toBe(200);
      const page = answer.json<Page>();
      expect(page.entries.length).toBeLessThanOrEqual(2);
      seen.push(...page.entries.map((e) => e.name));
      cursor = page.nextCursor;
      pages++;
    } while (cursor);
    expect(seen).toEqual(['raw', 'run 1', 'a.csv', 'b.csv', 'c.csv', "it's.txt"]);
    expect(pages).toBe(3);
  });

  test('the port’s problems come back with its status and explanation', async () => {
    const missing = expectProblem(
      await folder('local-folder', '/data/missing'),
      404,
      'storage.notFound',
    );
    expect(missing).toMatchObject({
      detail: 'Nothing is at /data/missing.',
      args: { path: '/data/missing' },
    });
    expectProblem(await folder('local-folder', '/top.txt'), 409, 'storage.notAFolder');
    const climbing = expectProblem(
      await folder('local-folder', '/data/../..'),
      400,
      'storage.badPath',
    );
    expect(climbing.detail).toContain('".."');
    const out = expectProblem(await folder('local-folder', '/way-out'), 403, 'storage.outsideRoot');
    expect(out.detail).toBe('/way-out leads outside the storage this port may reach.');
  });

  test('a path that is not absolute is refused here, pointing at it', async () => {
    const refused = expectProblem(await folder('local-folder', 'data'), 400, 'request.invalid');
    expect(refused.errors?.map((e) => e.pointer)).toEqual(['#/query/path']);
    const noPath = expectProblem(
      await ada.get('/storage/local-folder/folder'),
      400,
      'request.invalid',
    );
    expect(noPath.errors?.map((e) => e.pointer)).toEqual(['#/query/path']);
  });
});

describe('which storage', () => {
  test('one nobody registered is 404, naming it', async () => {
    const problem = expectProblem(await folder('nowhere', '/'), 404, 'storage.serviceNotFound');
    expect(problem).toMatchObject({
      detail: 'There is no storage service nowhere.',
      args: { servicename: 'nowhere' },
    });
  });

  test('a repository is no storage, though research knows where it is: 404', async () => {
    const problem = expectProblem(
      await folder('local-archive', '/'),
      404,
      'storage.serviceNotFound',
    );
    expect(problem.args).toEqual({ servicename: 'local-archive' });
  });

  test('a storage registered, but not one research is told where to find, is 404', async () => {
    await register({
      servicename: 'owncloud',
      implements: ['fileStorage'],
      credentials: { userId: true, password: true },
    });
    const problem = expectProblem(await folder('owncloud', '/'), 404, 'storage.serviceNotFound');
    expect(problem.args).toEqual({ servicename: 'owncloud' });
  });

  test('registrations are per tenant: another tenant’s user does not see local-folder', async () => {
    const elsewhere = clientOf(stack.research.url, { user: 'ada', tenant: 'uni-b' });
    expectProblem(
      await elsewhere.get('/storage/local-folder/folder?path=/'),
      404,
      'storage.serviceNotFound',
    );
  });

  test('a name that cannot be a service is refused by the contract', async () => {
    const refused = expectProblem(await folder('Not-A-Port', '/'), 400, 'request.invalid');
    expect(refused.errors?.map((e) => e.pointer)).toEqual(['#/path/servicename']);
  });
});
