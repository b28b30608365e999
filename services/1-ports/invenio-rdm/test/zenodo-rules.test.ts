/**
 * What the real Zenodo refuses, and what the port makes of it (issue 18): each test drives the
 * port against the fake, whose rules come from InvenioRDM's and Zenodo's source code.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { bearer, call, startTestService, type RunningService } from '@rds/kit/testing';
import { startTokenStorage } from '@rds/token-storage/testing';
import { inveniordmDefinition } from '../src/index.ts';
import { startFakeInvenio, type FakeInvenio } from '@rds/test-peers';
import { asExporter, connect, METADATA, type RepositoryRecord } from './helpers.ts';

let tokenStorage: RunningService;
let zenodo: FakeInvenio;
let port: RunningService;
let ada: ReturnType<typeof asExporter>;

beforeAll(async () => {
  tokenStorage = await startTokenStorage();
  zenodo = await startFakeInvenio({
    oauthClient: { id: 'rds-client', secret: 'rds-client-secret' },
    rateLimit: { requests: 100_000, windowMs: 60_000 },
  });
  port = await startTestService(inveniordmDefinition('zenodo'), {
    RDS_INVENIO_URL: zenodo.url,
    RDS_TOKEN_STORAGE_URL: tokenStorage.url,
    RDS_INVENIO_DISPLAY_NAME: 'Zenodo',
    RDS_INVENIO_OAUTH_CLIENT_ID: 'rds-client',
    RDS_INVENIO_OAUTH_CLIENT_SECRET: 'rds-client-secret',
  });
  const tokens = zenodo.issueOAuthTokens('ada');
  await connect(tokenStorage, 'zenodo', 'ada', { kind: 'oauth2', ...tokens, expires_in: 3600 });
  ada = asExporter(port.url, 'zenodo', 'ada');
});
afterAll(async () => {
  await port?.close();
  await zenodo?.close();
  await tokenStorage?.close();
});

/** The fake's view of a draft, read with a token of its own for the user. */
async function draftAtZenodo(id: string) {
  const answer = await call(`${zenodo.url}/api/records/${id}/draft`, {
    headers: { authorization: `Bearer ${zenodo.addUser('ada')}` },
  });
  return answer.json<{ metadata: Record<string, unknown>; errors?: unknown[] }>();
}

const count = (route: string, method = 'POST') =>
  zenodo.log.filter((r) => r.route === route && r.method === method).length;

type Check = { valid: boolean; errors: { field: string; detail: string }[] };
const check = async (metadata: object) =>
  (await ada.send('POST', '/metadata-check', { ...METADATA, ...metadata })).json<Check>();

describe('1. the publisher DataCite needs', () => {
  test("a record without one is published with Zenodo's default, 'Zenodo'", async () => {
    const id = await ada.createDraft(METADATA);
    const draft = await draftAtZenodo(id);
    expect(draft.metadata.publisher).toBe('Zenodo');
    expect(draft.errors).toBeUndefined();
    expect((await ada.upload(id, 'a.csv', 'a')).status).toBe(201);
    const published = await ada.publish(id);
    expect(published.status).toBe(200);
    expect(published.json()).toMatchObject({ state: 'published' });
  });

  test('a publisher given is sent as it is', async () => {
    const id = await ada.createDraft({ ...METADATA, publisher: 'GFZ Data Services' });
    expect((await draftAtZenodo(id)).metadata.publisher).toBe('GFZ Data Services');
  });
});

describe('3. empty files', () => {
  test('refused at once with 422, nothing sent: the repository takes no empty files', async () => {
    const id = await ada.createDraft();
    const inits = count('/api/records/:id/draft/files');
    const answer = await ada.upload(id, 'empty.csv', '');
    expect(answer.status, answer.text).toBe(422);
    expect(answer.json()).toMatchObject({
      messageKey: 'repository.emptyFile',
      detail: 'zenodo takes no empty files: "empty.csv" has 0 bytes.',
    });
    expect(count('/api/records/:id/draft/files')).toBe(inits);
    expect(await ada.files(id)).toEqual([]);
  });

  test("a port told the instance takes them passes them on; Zenodo's refusal at commit is final, nothing left", async () => {
    const lenient = await startTestService(inveniordmDefinition('zenodo-empty'), {
      RDS_INVENIO_URL: zenodo.url,
      RDS_INVENIO_SERVICENAME: 'zenodo-empty',
      RDS_TOKEN_STORAGE_URL: tokenStorage.url,
      RDS_INVENIO_EMPTY_FILES: 'true',
    });
    try {
      await connect(tokenStorage, 'zenodo-empty', 'ada', {
        kind: 'credentials',
        password: zenodo.addUser('ada'),
      });
      const client = asExporter(lenient.url, 'zenodo-empty', 'ada');
      expect((await client.send('GET', '/capabilities')).json()).toMatchObject({
        emptyFiles: true,
      });
      const id = await client.createDraft();
      const answer = await client.upload(id, 'empty.csv', '');
      expect(answer.status).toBe(422);
      expect(answer.json()).toMatchObject({
        messageKey: 'repository.uploadRefused',
        detail: 'zenodo-empty refused "empty.csv": Empty files are not accepted.',
      });
      expect(await client.files(id)).toEqual([]);
    } finally {
      await lenient.close();
    }
  });

  test('capabilities say so, with the longest key', async () => {
    expect((await ada.send('GET', '/capabilities')).json()).toMatchObject({
      emptyFiles: false,
      maxKeyLength: 255,
    });
  });
});

describe('4. ids outside Zenodo’s vocabularies', () => {
  test('the check names the field and why; nothing is created', async () => {
    // Montenegrin (cnr) is in ISO 639-3 today, not in Zenodo's list of languages.
    const refused = await check({ license: { id: 'GPL-3.0' }, language: 'cnr' });
    expect(refused.valid).toBe(false);
    expect(refused.errors).toEqual([
      {
        field: '/license',
        detail:
          'is an SPDX id that SPDX has withdrawn, and repositories refuse it: choose GPL-3.0-only or GPL-3.0-or-later.',
      },
      { field: '/language', detail: 'zenodo has no language "cnr" in its list' },
    ]);
    const drafts = count('/api/records');
    const answer = await ada.send('POST', '/records', { ...METADATA, license: { id: 'GPL-3.0' } });
    expect(answer.status).toBe(422);
    expect(answer.json()).toMatchObject({
      messageKey: 'repository.metadataRefused',
      errors: [{ pointer: '#/license' }],
    });
    expect(count('/api/records')).toBe(drafts);
    expect((await check({ license: { id: 'GPL-3.0-only' }, language: 'deu' })).valid).toBe(true);
  });
});

describe('5. a token Zenodo no longer takes (403, never 401)', () => {
  test('is renewed once through token-storage, and the call goes through', async () => {
    const current = await call(`${tokenStorage.url}/connections/zenodo/token`, {
      headers: bearer({ issuer: 'zenodo', audience: 'token-storage', user: 'ada' }),
    });
    const rejected = current.json<{ access_token: string }>().access_token;
    zenodo.revokeToken(rejected);
    const answer = await ada.send('POST', '/records', METADATA);
    expect(answer.status).toBe(201);
    const renewed = await call(`${tokenStorage.url}/connections/zenodo/token`, {
      headers: bearer({ issuer: 'zenodo', audience: 'token-storage', user: 'ada' }),
    });
    expect(renewed.json<{ access_token: string }>().access_token).not.toBe(rejected);
  });

  test('refused after the renewal too: "connect Zenodo again"', async () => {
    const token = zenodo.addUser('erin');
    await connect(tokenStorage, 'zenodo', 'erin', { kind: 'oauth2', access_token: token });
    zenodo.revokeToken(token);
    const erin = asExporter(port.url, 'zenodo', 'erin');
    const answer = await erin.send('POST', '/records', METADATA);
    expect(answer.status).toBe(403);
    expect(answer.json()).toMatchObject({
      messageKey: 'repository.reconnect',
      detail:
        'Zenodo no longer accepts your connection; connect Zenodo again under Connected services.',
    });
  });

  test("another user's record is still refused as such, with a token that works", async () => {
    const id = await ada.createDraft();
    await connect(tokenStorage, 'zenodo', 'frank', {
      kind: 'oauth2',
      access_token: zenodo.addUser('frank'),
    });
    const frank = asExporter(port.url, 'zenodo', 'frank');
    expect((await frank.record(id)).json()).toMatchObject({
      status: 403,
      messageKey: 'repository.forbidden',
    });
  });
});

describe('6. other refusals keep the repository’s reason and are no 502', () => {
  test('the repository’s own file limit, hit when uploads ran in parallel: 422 with its words', async () => {
    const id = await ada.createDraft();
    expect((await ada.upload(id, 'a.csv', 'a')).status).toBe(201);
    // Other uploads filled the record since the port counted: the repository's count is final.
    const maxFiles = zenodo.options.maxFiles;
    zenodo.options.maxFiles = 1;
    try {
      const answer = await ada.upload(id, 'b.csv', 'b');
      expect(answer.status).toBe(422);
      expect(answer.json()).toMatchObject({
        messageKey: 'repository.refused',
        detail:
          'zenodo refused this: Uploading selected files will result in exceeding the max amount per record.',
      });
    } finally {
      zenodo.options.maxFiles = maxFiles;
    }
    expect((await ada.files(id)).map((f) => f.key)).toEqual(['a.csv']);
  });
});

describe('7. the check runs Zenodo’s rules', () => {
  test('description length, ORCID check digit and range, identifiers by scheme, version length', async () => {
    const result = await check({
      description: 'ab',
      version: 'v'.repeat(100),
      creators: [
        { name: 'Lovelace, Ada', orcid: '0000-0000-0000-0001' },
        { name: 'Hopper, Grace', orcid: '0000-0002-1825-0098' },
      ],
      relatedIdentifiers: [
        { identifier: 'not-a-doi', scheme: 'doi', relationType: 'Cites' },
        { identifier: '978-3-16-148410-1', scheme: 'isbn', relationType: 'Cites' },
        { identifier: 'example.org/x', scheme: 'url', relationType: 'Cites' },
        { identifier: '10.1234/x', scheme: 'doi', relationType: 'Cites' },
        { identifier: '978-3-16-148410-0', scheme: 'isbn', relationType: 'Cites' },
        { identifier: '0000-0002-1825-0097', scheme: 'orcid', relationType: 'Cites' },
      ],
    });
    expect(result.errors.map((e) => e.field)).toEqual([
      '/creators/0/orcid',
      '/creators/1/orcid',
      '/description',
      '/relatedIdentifiers/0/identifier',
      '/relatedIdentifiers/1/identifier',
      '/relatedIdentifiers/2/identifier',
      '/relatedIdentifiers/5/scheme',
    ]);
    expect(result.errors.slice(0, 3).map((e) => e.detail)).toEqual([
      'is not an ORCID iD: ORCID gives out no number like it.',
      'is not an ORCID iD: its last digit does not match (a typing error?).',
      'zenodo needs a description of at least 3 characters',
    ]);
    // What the check passes, Zenodo takes.
    const valid = await check({ description: 'abc', creators: METADATA.creators });
    expect(valid).toEqual({ valid: true, errors: [] });
  });

  test('a key longer than 255 characters is refused before anything is sent', async () => {
    const id = await ada.createDraft();
    const inits = count('/api/records/:id/draft/files');
    const answer = await ada.upload(id, `${'ü'.repeat(252)}.csv`, 'x');
    expect(answer.status).toBe(400);
    expect(answer.json()).toMatchObject({ messageKey: 'repository.keyTooLong' });
    expect(count('/api/records/:id/draft/files')).toBe(inits);
    expect((await ada.upload(id, `${'ü'.repeat(251)}.csv`, 'x')).status).toBe(201);
  });

  test('what the check passes, Zenodo publishes', async () => {
    const metadata = {
      ...METADATA,
      description: 'abc',
      license: { id: 'GPL-3.0-only' },
      language: 'de',
      relatedIdentifiers: [
        {
          identifier: 'https://example.org/x',
          scheme: 'url' as const,
          relationType: 'Cites' as const,
        },
        {
          identifier: '978-3-16-148410-0',
          scheme: 'isbn' as const,
          relationType: 'Cites' as const,
        },
        {
          identifier: 'arXiv:2101.00001',
          scheme: 'arxiv' as const,
          relationType: 'Cites' as const,
        },
      ],
    };
    expect((await ada.send('POST', '/metadata-check', metadata)).json<Check>().valid).toBe(true);
    const id = await ada.createDraft(metadata);
    expect((await draftAtZenodo(id)).errors).toBeUndefined();
    expect((await ada.upload(id, 'a.csv', 'a')).status).toBe(201);
    expect((await ada.publish(id)).json<RepositoryRecord>()).toMatchObject({ state: 'published' });
  });
});
