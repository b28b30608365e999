/**
 * The repository interface as the exporter calls it (contracts/interfaces/repository.yaml): one
 * suite, run against every repository port with its real peer or a strict fake. A test of an
 * operation not written yet fails with the port's own words ("501: createDraft is not
 * implemented yet: …").
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { bearer, call } from '@rds/kit/testing';
import type {
  Capabilities,
  RecordFile,
  RepositoryRecord,
  ResearchMetadata,
} from '../repository.ts';
import { problemOf } from './problem-of.ts';

/** A repository port started for the suite, its user connected to the repository. */
export interface RepositoryPortUnderTest {
  url: string;
  servicename: string;
  tokenStorageUrl: string;
  /** A user with a working connection. */
  user: string;
  /** A user without any connection to the repository. */
  stranger: string;
  /** Metadata the repository takes and publishes. */
  metadata: ResearchMetadata;
  close: () => Promise<void>;
}

export interface RepositorySuiteOptions {
  startupTimeoutMs?: number;
  /**
   * Where the port keeps to its own ways rather than to the contract, with the reason: those
   * tests are skipped, and say why.
   */
  deviations?: { nothingToConnect?: string };
}

const digest = (algorithm: string, content: string) =>
  `${algorithm}:${createHash(algorithm).update(content).digest('hex')}`;

export function repositorySuite(
  start: () => Promise<RepositoryPortUnderTest>,
  options: RepositorySuiteOptions = {},
): void {
  let port: RepositoryPortUnderTest;
  const deviations = options.deviations ?? {};
  const as = (user: string) => bearer({ issuer: 'exporter', audience: port.servicename, user });
  const send = (method: string, path: string, json?: unknown, user = port.user) =>
    call(`${port.url}${path}`, {
      method,
      headers: as(user),
      ...(json === undefined ? {} : { json }),
    });
  const fileAt = (id: string, key: string) => `/records/${id}/file?key=${encodeURIComponent(key)}`;
  const upload = (id: string, key: string, body: string) =>
    call(`${port.url}${fileAt(id, key)}`, {
      method: 'PUT',
      headers: { ...as(port.user), 'content-type': 'application/octet-stream' },
      body,
    });
  const draft = async (): Promise<RepositoryRecord> => {
    const made = await send('POST', '/records', port.metadata);
    expect(made.status, problemOf(made)).toBe(201);
    return made.json<RepositoryRecord>();
  };
  const filesOf = async (id: string): Promise<RecordFile[]> => {
    const listed = await send('GET', `/records/${id}/files`);
    expect(listed.status, problemOf(listed)).toBe(200);
    return listed.json<{ files: RecordFile[] }>().files;
  };

  describe('the repository interface', () => {
    beforeAll(async () => {
      port = await start();
    }, options.startupTimeoutMs ?? 120_000);
    afterAll(async () => {
      await port?.close();
    });

    test('registers with token-storage as a repository', async () => {
      const answer = await call(`${port.tokenStorageUrl}/service/${port.servicename}`, {
        headers: bearer({ issuer: 'port-service', audience: 'token-storage' }),
      });
      expect(answer.status, problemOf(answer)).toBe(200);
      expect(answer.json<{ implements: string[] }>().implements).toContain('repository');
    });

    test('getCapabilities says what the target takes', async () => {
      const answer = await send('GET', '/capabilities');
      expect(answer.status, problemOf(answer)).toBe(200);
      expect(answer.json()).toMatchObject({
        checksum: expect.any(String),
        folders: expect.any(Boolean),
      });
    });

    test('checkMetadata finds nothing wrong with metadata the target takes', async () => {
      const answer = await send('POST', '/metadata-check', port.metadata);
      expect(answer.status, problemOf(answer)).toBe(200);
      expect(answer.json()).toEqual({ valid: true, errors: [] });
    });

    test('createDraft makes a draft that getRecord reads', async () => {
      const made = await draft();
      expect(made).toMatchObject({ id: expect.any(String), state: 'draft' });
      const read = await send('GET', `/records/${made.id}`);
      expect(read.status, problemOf(read)).toBe(200);
      expect(read.json()).toMatchObject({ id: made.id, state: 'draft' });
    });

    test('getRecord of a record that does not exist: 404', async () => {
      const answer = await send('GET', '/records/no-such-record-0');
      expect(answer.status, problemOf(answer)).toBe(404);
    });

    test("updateMetadata replaces a draft's metadata", async () => {
      const { id } = await draft();
      const title = `${port.metadata.title ?? 'Data'} (revised)`;
      const answer = await send('PUT', `/records/${id}/metadata`, { ...port.metadata, title });
      expect(answer.status, problemOf(answer)).toBe(200);
      expect(answer.json()).toMatchObject({ id, state: 'draft' });
    });

    test('uploadFile streams a file in, with its size and checksum; replaced, listed, deleted', async () => {
      const capabilities = (await send('GET', '/capabilities')).json<Capabilities>();
      const { id } = await draft();
      const stored = await upload(id, 'data.csv', 'x,y\n1,2\n');
      expect(stored.status, problemOf(stored)).toBe(201);
      expect(stored.json()).toEqual({
        key: 'data.csv',
        size: 8,
        checksum: digest(capabilities.checksum, 'x,y\n1,2\n'),
        status: 'completed',
      });
      const replaced = await upload(id, 'data.csv', 'v2');
      expect(replaced.json()).toMatchObject({ size: 2 });
      expect(await filesOf(id)).toMatchObject([{ key: 'data.csv', size: 2, status: 'completed' }]);
      const deleted = await send('DELETE', fileAt(id, 'data.csv'));
      expect(deleted.status, problemOf(deleted)).toBe(204);
      expect(await filesOf(id)).toEqual([]);
    });

    test('publishRecord publishes a draft with its files, and is safe to repeat', async () => {
      const { id } = await draft();
      await upload(id, 'data.csv', 'x,y\n1,2\n');
      const published = await send('POST', `/records/${id}/publish`);
      expect(published.status, problemOf(published)).toBe(200);
      expect(published.json()).toMatchObject({ state: 'published' });
      const again = await send('POST', `/records/${published.json<RepositoryRecord>().id}/publish`);
      expect(again.status, problemOf(again)).toBe(200);
      expect(again.json()).toMatchObject({ state: 'published' });
    });

    test('newVersion makes one draft of the next version with the earlier files', async () => {
      const { id } = await draft();
      await upload(id, 'data.csv', 'x,y\n1,2\n');
      const published = (await send('POST', `/records/${id}/publish`)).json<RepositoryRecord>();
      const next = await send('POST', `/records/${published.id}/versions`);
      expect(next.status, problemOf(next)).toBe(201);
      const version = next.json<RepositoryRecord>();
      expect(version).toMatchObject({ state: 'draft' });
      expect(version.id).not.toBe(published.id);
      expect((await filesOf(version.id)).map((f) => f.key)).toEqual(['data.csv']);
      const reused = await send('POST', `/records/${published.id}/versions`);
      expect(reused.json<RepositoryRecord>().id).toBe(version.id);
    });

    test('discardDraft removes a draft', async () => {
      const { id } = await draft();
      const discarded = await send('DELETE', `/records/${id}`);
      expect(discarded.status, problemOf(discarded)).toBe(204);
      expect((await send('GET', `/records/${id}`)).status).toBe(404);
    });

    test.skipIf(deviations.nothingToConnect !== undefined)(
      `a user without a connection: 403, to connect first${deviations.nothingToConnect ? ` (not here: ${deviations.nothingToConnect})` : ''}`,
      async () => {
        const answer = await send('POST', '/records', port.metadata, port.stranger);
        expect(answer.status, problemOf(answer)).toBe(403);
      },
    );

    test('a call without a service token is refused', async () => {
      expect((await call(`${port.url}/capabilities`)).status).toBe(401);
    });
  });
}
