/**
 * The fileStorage interface as the exporter calls it (contracts/interfaces/file-storage.yaml):
 * one suite, run against every storage port with its real peer or a strict fake. A test of an
 * operation not written yet fails with the port's own words ("501: listFolder is not
 * implemented yet: …").
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { bearer, call } from '@rds/kit/testing';
import { problemOf } from './problem-of.ts';

/** A storage port started for the suite, its user connected to the port's service. */
export interface StoragePortUnderTest {
  /** Where the port listens. */
  url: string;
  /** The name it serves and registers as. */
  servicename: string;
  tokenStorageUrl: string;
  /** A user with a working connection. */
  user: string;
  /** A user without any connection to the port's service. */
  stranger: string;
  close: () => Promise<void>;
}

export interface FileStorageSuiteOptions {
  /** How long starting may take (peers, token-storage on a busy machine). */
  startupTimeoutMs?: number;
  /**
   * Where the port keeps to the storage's own ways rather than to the contract, with the reason:
   * those tests are skipped, and say why.
   */
  deviations?: { listingOrder?: string; nothingToConnect?: string };
}

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

export function fileStorageSuite(
  start: () => Promise<StoragePortUnderTest>,
  options: FileStorageSuiteOptions = {},
): void {
  let port: StoragePortUnderTest;
  const as = (user: string) => bearer({ issuer: 'exporter', audience: port.servicename, user });
  const at = (route: string, path: string, query = '') =>
    `${port.url}${route}?path=${encodeURIComponent(path)}${query}`;
  const ask = (method: string, route: string, path: string, headers: Record<string, string> = {}) =>
    call(at(route, path), { method, headers: { ...as(port.user), ...headers } });
  const upload = (path: string, body: string) =>
    call(at('/file', path), {
      method: 'PUT',
      headers: { ...as(port.user), 'content-type': 'application/octet-stream' },
      body,
    });
  /** A folder of its own for each test, at the top of the user's storage. */
  const fresh = () => `/rds-test-${randomUUID()}`;
  const { deviations = {} } = options;

  describe('the fileStorage interface', () => {
    beforeAll(async () => {
      port = await start();
    }, options.startupTimeoutMs ?? 120_000);
    afterAll(async () => {
      await port?.close();
    });

    test('registers with token-storage as a fileStorage', async () => {
      const answer = await call(`${port.tokenStorageUrl}/service/${port.servicename}`, {
        headers: bearer({ issuer: 'port-service', audience: 'token-storage' }),
      });
      expect(answer.status, problemOf(answer)).toBe(200);
      expect(answer.json<{ implements: string[] }>().implements).toContain('fileStorage');
    });

    test('createFolder makes a folder and the folders above it', async () => {
      const path = `${fresh()}/a/b`;
      const made = await ask('POST', '/folder', path);
      expect(made.status, problemOf(made)).toBe(201);
      expect(made.json()).toMatchObject({ name: 'b', path, type: 'folder' });
      const above = await ask('GET', '/entry', path.slice(0, -2));
      expect(above.json()).toMatchObject({ type: 'folder' });
    });

    test('uploadFile writes a file whole, and replaces it', async () => {
      const path = `${fresh()}.csv`;
      const created = await upload(path, 'x,y\n1,2\n');
      expect(created.status, problemOf(created)).toBe(201);
      expect(created.json()).toMatchObject({ path, type: 'file', size: 8 });
      const replaced = await upload(path, 'v2');
      expect(replaced.json()).toMatchObject({ size: 2 });
      expect((await ask('GET', '/file', path)).text).toBe('v2');
    });

    test('uploadFile into a folder that does not exist: 409 storage.parentMissing', async () => {
      const answer = await upload(`${fresh()}/missing/a.txt`, 'x');
      expect(answer.status, problemOf(answer)).toBe(409);
      expect(answer.json()).toMatchObject({ messageKey: 'storage.parentMissing' });
    });

    test('statEntry tells what is at a path, and 404 storage.notFound where nothing is', async () => {
      const missing = await ask('GET', '/entry', `${fresh()}/nothing.txt`);
      expect(missing.status, problemOf(missing)).toBe(404);
      expect(missing.json()).toMatchObject({ messageKey: 'storage.notFound' });
      const path = `${fresh()}.txt`;
      await upload(path, 'hello');
      const stat = await ask('GET', '/entry', path);
      expect(stat.status, problemOf(stat)).toBe(200);
      expect(stat.json()).toMatchObject({ name: path.slice(1), path, type: 'file', size: 5 });
    });

    test('listFolder gives every entry once, over pages', async () => {
      const root = await ask('GET', '/folder', '/');
      expect(root.status, problemOf(root)).toBe(200);
      expect(root.json()).toMatchObject({ path: '/', entries: expect.any(Array) });
      const folder = fresh();
      await ask('POST', '/folder', `${folder}/zz`);
      for (const name of ['b.txt', 'a #1.txt']) await upload(`${folder}/${name}`, name);
      const first = await call(at('/folder', folder, '&limit=2'), { headers: as(port.user) });
      expect(first.status, problemOf(first)).toBe(200);
      const page = first.json<Page>();
      expect(page.entries).toHaveLength(2);
      const rest = await call(
        at('/folder', folder, `&limit=2&cursor=${encodeURIComponent(page.nextCursor ?? '')}`),
        { headers: as(port.user) },
      );
      const last = rest.json<Page>();
      expect(last.nextCursor).toBeUndefined();
      const names = [...page.entries, ...last.entries].map((e) => e.name);
      expect(names.toSorted()).toEqual(['a #1.txt', 'b.txt', 'zz']);
    });

    test.skipIf(deviations.listingOrder !== undefined)(
      `listFolder lists folders first, then files by name${deviations.listingOrder ? ` (not here: ${deviations.listingOrder})` : ''}`,
      async () => {
        const folder = fresh();
        await ask('POST', '/folder', `${folder}/zz`);
        for (const name of ['b.txt', 'a #1.txt']) await upload(`${folder}/${name}`, name);
        const listed = await ask('GET', '/folder', folder);
        expect(listed.status, problemOf(listed)).toBe(200);
        expect(listed.json<Page>().entries.map((e) => e.name)).toEqual(['zz', 'a #1.txt', 'b.txt']);
      },
    );

    test('listFolder of a file: 409 storage.notAFolder', async () => {
      const path = `${fresh()}.txt`;
      await upload(path, 'x');
      const answer = await ask('GET', '/folder', path);
      expect(answer.status, problemOf(answer)).toBe(409);
      expect(answer.json()).toMatchObject({ messageKey: 'storage.notAFolder' });
    });

    test('downloadFile streams a file, and a range of it', async () => {
      const missing = await ask('GET', '/file', `${fresh()}.csv`);
      expect(missing.status, problemOf(missing)).toBe(404);
      const path = `${fresh()}.csv`;
      await upload(path, 'x,y\n1,2\n');
      const whole = await ask('GET', '/file', path);
      expect(whole.status, problemOf(whole)).toBe(200);
      expect(whole.headers['content-length']).toBe('8');
      expect(whole.headers['accept-ranges']).toBe('bytes');
      expect(whole.text).toBe('x,y\n1,2\n');
      const part = await ask('GET', '/file', path, { range: 'bytes=2-4' });
      expect(part.status, problemOf(part)).toBe(206);
      expect(part.headers['content-range']).toBe('bytes 2-4/8');
      expect(part.text).toBe('y\n1');
      const tail = await ask('GET', '/file', path, { range: 'bytes=-3' });
      expect(tail.headers['content-range']).toBe('bytes 5-7/8');
      expect(tail.text).toBe(',2\n');
    });

    test('downloadFile of a range outside the file: 416 naming the size', async () => {
      const path = `${fresh()}.csv`;
      await upload(path, 'x,y\n1,2\n');
      const answer = await ask('GET', '/file', path, { range: 'bytes=8-' });
      expect(answer.status, problemOf(answer)).toBe(416);
      expect(answer.headers['content-range']).toBe('bytes */8');
    });

    test('downloadFile of a folder: 409 storage.notAFile', async () => {
      const folder = fresh();
      await ask('POST', '/folder', folder);
      const answer = await ask('GET', '/file', folder);
      expect(answer.status, problemOf(answer)).toBe(409);
      expect(answer.json()).toMatchObject({ messageKey: 'storage.notAFile' });
    });

    test('deleteEntry removes a file or a folder with everything in it', async () => {
      const missing = await ask('DELETE', '/entry', fresh());
      expect(missing.status, problemOf(missing)).toBe(404);
      const folder = fresh();
      await upload(`${folder}.txt`, 'x');
      await ask('POST', '/folder', `${folder}/inner`);
      await upload(`${folder}/inner/a.txt`, 'a');
      for (const path of [`${folder}.txt`, folder]) {
        const deleted = await ask('DELETE', '/entry', path);
        expect(deleted.status, problemOf(deleted)).toBe(204);
        expect((await ask('GET', '/entry', path)).status).toBe(404);
      }
    });

    test('a path that climbs out is 400 storage.badPath, whoever asks', async () => {
      for (const user of [port.user, port.stranger]) {
        const answer = await call(at('/entry', '/a/../..'), { headers: as(user) });
        expect(answer.status, problemOf(answer)).toBe(400);
        expect(answer.json()).toMatchObject({ messageKey: 'storage.badPath' });
      }
    });

    test.skipIf(deviations.nothingToConnect !== undefined)(
      `a user without a connection: 403 storage.credentialsRefused${deviations.nothingToConnect ? ` (not here: ${deviations.nothingToConnect})` : ''}`,
      async () => {
        const answer = await call(at('/entry', '/'), { headers: as(port.stranger) });
        expect(answer.status, problemOf(answer)).toBe(403);
        expect(answer.json()).toMatchObject({ messageKey: 'storage.credentialsRefused' });
      },
    );

    test('a call without a service token is refused', async () => {
      expect((await call(at('/entry', '/'))).status).toBe(401);
    });
  });
}
