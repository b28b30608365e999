import { createServer } from 'node:net';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { ServiceDefinition } from '@rds/kit';
import { bearer, call, startTestService, type RunningService } from '@rds/kit/testing';
import { startTokenStorage } from '@rds/ports/testing';
import { inveniordmDefinition } from '@rds/invenio-rdm';
import { definition } from '../src/index.ts';
import { repositoryDouble } from './repository-double.ts';

type Result = { target: string; valid: boolean; errors: { field: string }[]; problem?: object };

let tokenStorage: RunningService;
let zenodo: RunningService;
let archiveDouble: RunningService;
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
  zenodo = await startTestService(inveniordmDefinition('zenodo') as ServiceDefinition<never>, {
    RDS_INVENIO_URL: await closedPort(),
    RDS_TOKEN_STORAGE_URL: tokenStorage.url,
  });
  // local-archive is not there yet.
  archiveDouble = await startTestService(
    await repositoryDouble('local-archive', ['/title', '/description', '/license']),
  );
  metadata = await startTestService(definition as ServiceDefinition<never>, {
    RDS_ZENODO_URL: zenodo.url,
    RDS_LOCAL_ARCHIVE_URL: archiveDouble.url,
    RDS_DATAVERSE_URL: await closedPort(),
  });
});
afterAll(async () => {
  await metadata.close();
  await archiveDouble.close();
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
  expect(zenodoResult).toMatchObject({ target: 'zenodo', valid: false });
  // Zenodo's own rules (a title of three characters at least) and every field it requires.
  expect(fields(zenodoResult)).toEqual(
    expect.arrayContaining(['/title', '/publicationDate', '/resourceType']),
  );
  expect(fields(zenodoResult)).not.toContain('/creators');
  expect(archive).toEqual({
    target: 'local-archive',
    valid: false,
    errors: [
      { field: '/description', detail: 'local-archive requires this field.' },
      { field: '/license', detail: 'local-archive requires this field.' },
    ],
  });
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
      { target: 'local-archive', valid: true, errors: [] },
      { target: 'zenodo', valid: true, errors: [] },
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
  expect(fields(archive)).toEqual(['/description', '/license']);
});

test('checks act for a user', async () => {
  const answer = await check(
    { metadata: {}, targets: ['zenodo'] },
    bearer({ issuer: 'exporter', audience: 'metadata' }),
  );
  expect(answer.status).toBe(403);
  expect(answer.json().messageKey).toBe('auth.noUser');
});
