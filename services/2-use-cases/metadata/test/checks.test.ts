import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { serviceContract } from '@rds/contracts';
import { ContractClient, createTokenSigner, HttpClient } from '@rds/kit';
import { bearer, call, startTestService, TEST_SECRET, type RunningService } from '@rds/kit/testing';
import { registerPort } from '@rds/ports';
import { startTokenStorage } from '@rds/token-storage/testing';
import { inveniordmDefinition } from '@rds/invenio-rdm';
import { definition as localArchiveDefinition } from '@rds/local-archive';
import { definition } from '../src/index.ts';

type Result = { target: string; valid: boolean; errors: { field: string }[]; problem?: object };

let tokenStorage: RunningService;
let zenodo: RunningService;
let localArchive: RunningService;
let archiveRoot: string;
let metadata: RunningService;

/** A port on 127.0.0.1 where nothing listens. */
async function closedPort(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return `http://127.0.0.1:${port}`;
}

const asExporter = bearer({ issuer: 'exporter', audience: 'metadata', user: 'ada' });
const check = (json: object, headers = asExporter) =>
  call(`${metadata.url}/checks`, { method: 'POST', headers, json });
const fields = (result: Result | undefined) => result?.errors.map((e) => e.field);

beforeAll(async () => {
  tokenStorage = await startTokenStorage();
  // The real repository port; checks never reach the instance, so its URL leads nowhere.
  zenodo = await startTestService(inveniordmDefinition('zenodo'), {
    RDS_INVENIO_URL: await closedPort(),
    RDS_TOKEN_STORAGE_URL: tokenStorage.url,
  });
  archiveRoot = mkdtempSync(join(tmpdir(), 'rds-metadata-checks-'));
  localArchive = await startTestService(localArchiveDefinition, {
    RDS_LOCAL_ARCHIVE_ROOT: archiveRoot,
    RDS_TOKEN_STORAGE_URL: tokenStorage.url,
  });
  // A repository port registered once, and not running now.
  const asDataverse = new HttpClient({
    name: 'token-storage',
    baseUrl: tokenStorage.url,
    serviceToken: {
      sign: createTokenSigner(TEST_SECRET),
      issuer: 'dataverse',
      audience: 'token-storage',
    },
  });
  await registerPort(
    await ContractClient.of(asDataverse, serviceContract('token-storage')),
    {
      servicename: 'dataverse',
      implements: ['repository'],
      credentials: { userId: false, password: true },
    },
    { logger: { info: () => undefined, warn: () => undefined } },
  );
  await asDataverse.close();
  metadata = await startTestService(definition, {
    RDS_ZENODO_URL: zenodo.url,
    RDS_LOCAL_ARCHIVE_URL: localArchive.url,
    RDS_DATAVERSE_URL: await closedPort(),
    RDS_TOKEN_STORAGE_URL: tokenStorage.url,
  });
});
afterAll(async () => {
  await metadata.close();
  await localArchive.close();
  rmSync(archiveRoot, { recursive: true, force: true });
  await zenodo.close();
  await tokenStorage.close();
});

test('every missing required field and every refused field is named, per target', async () => {
  const answer = await check({
    metadata: { title: 'Ox', creators: [{ name: 'Carberry, Josiah' }] },
    targets: ['zenodo', 'local-archive'],
  });
  expect(answer.status).toBe(200);
  const [zenodoResult, archive] = answer.json<{ results: Result[] }>().results;
  // Zenodo keeps no folders, the archive does: the page offers folder handling for Zenodo only.
  expect(zenodoResult).toMatchObject({ target: 'zenodo', valid: false, folders: false });
  // Zenodo's own rules (a title of three characters at least) and every field it requires.
  expect(fields(zenodoResult)).toEqual(
    expect.arrayContaining(['/title', '/publicationDate', '/resourceType']),
  );
  expect(fields(zenodoResult)).not.toContain('/creators');
  // RO-Crate requires a licence: the archive names it, and only once.
  expect(archive).toEqual({
    target: 'local-archive',
    valid: false,
    folders: true,
    errors: [{ field: '/license', detail: expect.stringContaining('RO-Crate') }],
  });
});

test('what no target takes is named at its field for every target, whatever its own check says', async () => {
  const answer = await check({
    metadata: {
      title: 'Ocean temperatures',
      description: 'ok',
      license: { id: 'GPL-3.0' },
      language: 'xqx',
      creators: [
        { name: 'Carberry, Josiah', orcid: '0000-0002-1825-0098' },
        {
          name: '   ',
          affiliations: [{ name: 'Brown University', ror: 'https://ror.org/05gq02987' }],
        },
      ],
    },
    targets: ['local-archive', 'zenodo'],
  });
  expect(answer.status).toBe(200);
  for (const result of answer.json<{ results: Result[] }>().results)
    expect(fields(result)).toEqual(
      expect.arrayContaining([
        '/creators/0/orcid',
        '/creators/1/name',
        '/description',
        '/language',
        '/license/id',
      ]),
    );
});

test('a required field the port does not name itself is named all the same, once', async () => {
  const answer = await check({ metadata: {}, targets: ['zenodo'] });
  const [result] = answer.json<{ results: Result[] }>().results;
  const named = fields(result)!;
  for (const required of ['/title', '/creators', '/publicationDate', '/resourceType'])
    expect(named.filter((f) => f === required)).toHaveLength(1);
});

test('metadata every target takes is valid everywhere', async () => {
  const answer = await check({
    metadata: {
      title: 'Ocean temperatures',
      description: 'Sea surface temperatures.',
      creators: [{ name: 'Carberry, Josiah', affiliations: [{ name: 'Brown University' }] }],
      publicationDate: '2024-05-01',
      resourceType: 'dataset',
      license: { id: 'CC-BY-4.0' },
    },
    targets: ['local-archive', 'zenodo'],
  });
  expect(answer.json()).toEqual({
    results: [
      { target: 'local-archive', valid: true, folders: true, errors: [] },
      { target: 'zenodo', valid: true, folders: false, errors: [] },
    ],
  });
});

test('a target that cannot be reached, or that RDS does not know, gets its own problem; the others are checked', async () => {
  const answer = await check({
    metadata: { title: 'Ocean temperatures' },
    targets: ['dataverse', 'figshare-at-home', 'local-archive'],
  });
  expect(answer.status).toBe(200);
  const [dataverse, unknown, archive] = answer.json<{ results: Result[] }>().results;
  expect(dataverse).toEqual({
    target: 'dataverse',
    valid: false,
    errors: [],
    problem: { messageKey: 'target.unreachable', detail: 'dataverse could not be reached.' },
  });
  expect(unknown).toEqual({
    target: 'figshare-at-home',
    valid: false,
    errors: [],
    problem: {
      messageKey: 'target.unknown',
      detail: 'RDS has no repository port named figshare-at-home.',
    },
  });
  expect(fields(archive)).toEqual(['/license']);
});

test('only registered repository ports are asked: another service of RDS or a storage port is no target', async () => {
  const answer = await check({
    metadata: { title: 'Ocean temperatures' },
    targets: ['token-storage', 'local-folder'],
  });
  expect(answer.status).toBe(200);
  for (const result of answer.json<{ results: Result[] }>().results)
    expect(result).toMatchObject({
      valid: false,
      errors: [],
      problem: { messageKey: 'target.unknown' },
    });
});

test('checks act for a user', async () => {
  const answer = await check(
    { metadata: {}, targets: ['zenodo'] },
    bearer({ issuer: 'exporter', audience: 'metadata' }),
  );
  expect(answer.status).toBe(403);
  expect(answer.json().messageKey).toBe('auth.noUser');
});
