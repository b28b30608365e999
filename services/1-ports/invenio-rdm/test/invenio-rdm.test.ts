import { createHash } from 'node:crypto';
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { bearer, call, startTestService, type RunningService } from '@rds/kit/testing';
import { startTokenStorage } from '@rds/token-storage/testing';
import { inveniordmDefinition } from '../src/index.ts';
import { startFakeInvenio, type FakeInvenio } from '@rds/test-peers';
import { asExporter, connect, inBatches, METADATA, type RepositoryRecord } from './helpers.ts';

const md5 = (content: string | Buffer) => `md5:${createHash('md5').update(content).digest('hex')}`;

let tokenStorage: RunningService;
let zenodo: FakeInvenio;
let port: RunningService;
let ada: ReturnType<typeof asExporter>;
let adaTokens: { access_token: string; refresh_token: string };

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
  adaTokens = zenodo.issueOAuthTokens('ada');
  await connect(tokenStorage, 'zenodo', 'ada', { kind: 'oauth2', ...adaTokens, expires_in: 3600 });
  ada = asExporter(port.url, 'zenodo', 'ada');
});
afterAll(async () => {
  await port?.close();
  await zenodo?.close();
  await tokenStorage?.close();
});

/** A draft with `files`, through the port. */
async function draftWith(files: Record<string, string>): Promise<string> {
  const id = await ada.createDraft();
  for (const [key, body] of Object.entries(files)) {
    expect((await ada.upload(id, key, body)).status).toBe(201);
  }
  return id;
}

/** The fake's own view of a draft or record, as its owner sees it. */
async function atZenodo(path: string) {
  const answer = await call(`${zenodo.url}/api/records/${path}`, {
    headers: { authorization: `Bearer ${adaTokens.access_token}` },
  });
  return answer.json<Record<string, unknown>>();
}

describe('start-up', () => {
  test('registers with token-storage as an OAuth2 service of the instance', async () => {
    const answer = await call(`${tokenStorage.url}/service/zenodo`, {
      headers: bearer({ issuer: 'port-service', audience: 'token-storage' }),
    });
    expect(answer.json()).toMatchObject({
      servicename: 'zenodo',
      implements: ['repository'],
      authType: 'oauth2',
      authorizeUrl: `${zenodo.url}/oauth/authorize`,
      scope: 'deposit:write deposit:actions',
      displayName: 'Zenodo',
    });
  });

  test("capabilities: Zenodo's limits, what it needs, md5", async () => {
    expect((await ada.send('GET', '/capabilities')).json()).toEqual({
      maxFiles: 100,
      maxFileSize: 50e9,
      maxRecordSize: 50e9,
      folders: false,
      maxKeyLength: 255,
      emptyFiles: false,
      requiredMetadata: ['/title', '/creators', '/publicationDate', '/resourceType'],
      publicationModes: ['draft', 'publish', 'new-version'],
      checksum: 'md5',
    });
  });

  test('a call without a service token is refused', async () => {
    expect((await call(`${port.url}/capabilities`)).status).toBe(401);
  });
});

describe('metadata', () => {
  test('the check names every missing field', async () => {
    const answer = await ada.send('POST', '/metadata-check', {});
    expect(answer.status).toBe(200);
    const { valid, errors } = answer.json<{ valid: boolean; errors: { field: string }[] }>();
    expect(valid).toBe(false);
    expect(errors.map((e) => e.field).sort()).toEqual(
      ['/creators', '/publicationDate', '/resourceType', '/title'].sort(),
    );
  });

  test('the check names every value the repository would refuse, all at once', async () => {
    const answer = await ada.send('POST', '/metadata-check', {
      ...METADATA,
      title: 'ab',
      creators: [{ name: 'Ada Lovelace' }, { name: 'Hopper, Grace', orcid: '0000-0002-1825-0098' }],
      relatedIdentifiers: [
        { identifier: '0000-0002-1825-0097', scheme: 'orcid', relationType: 'References' },
      ],
      funding: [{ funder: { name: 'DFG' }, awardTitle: 'Soil' }],
      language: 'xx',
    });
    expect(answer.json<{ errors: { field: string }[] }>().errors.map((e) => e.field)).toEqual([
      '/title',
      '/creators/0/familyName',
      '/creators/1/orcid',
      '/language',
      '/relatedIdentifiers/0/scheme',
    ]);
  });

  test('complete metadata: valid, and mapped to InvenioRDM field by field', async () => {
    expect((await ada.send('POST', '/metadata-check', METADATA)).json()).toEqual({
      valid: true,
      errors: [],
    });
    const created = await ada.send('POST', '/records', METADATA);
    expect(created.status).toBe(201);
    const record = created.json<RepositoryRecord>();
    expect(record).toMatchObject({ state: 'draft', title: METADATA.title, version: '1' });
    expect(record.links?.html).toBe(`${zenodo.url}/uploads/${record.id}`);
    const draft = await atZenodo(`${record.id}/draft`);
    expect(draft.errors).toBeUndefined();
    expect(draft.metadata).toEqual({
      resource_type: { id: 'dataset' },
      title: 'Soil moisture, Bavaria 2023',
      publisher: 'Zenodo',
      publication_date: '2024-05-01',
      creators: [
        {
          person_or_org: {
            type: 'personal',
            family_name: 'Lovelace',
            given_name: 'Ada',
            identifiers: [{ scheme: 'orcid', identifier: '0000-0002-1825-0097' }],
          },
          affiliations: [{ id: '02kkvpp62', name: 'Technical University of Munich' }],
        },
        { person_or_org: { type: 'organizational', name: 'Alpine Data Lab' } },
      ],
      description: 'Hourly soil moisture at twelve sites.',
      version: '1.0',
      subjects: [{ subject: 'soil' }, { subject: 'moisture' }],
      rights: [{ id: 'cc-by-4.0' }],
      languages: [{ id: 'eng' }],
      related_identifiers: [
        {
          identifier: '10.1234/field-guide',
          scheme: 'doi',
          relation_type: { id: 'issupplementto' },
        },
      ],
      funding: [{ funder: { id: '018mejw64' }, award: { number: '4711', title: { en: 'Soil' } } }],
    });
  });

  test('a draft with refused metadata is not made: 422 naming the fields, nothing created', async () => {
    const before = zenodo.log.filter((r) => r.method === 'POST' && r.route === '/api/records');
    const answer = await ada.send('POST', '/records', { title: 'Untitled data' });
    expect(answer.status).toBe(422);
    expect(answer.json()).toMatchObject({
      messageKey: 'repository.metadataRefused',
      errors: [
        { pointer: '#/resourceType' },
        { pointer: '#/publicationDate' },
        { pointer: '#/creators' },
      ],
    });
    const after = zenodo.log.filter((r) => r.method === 'POST' && r.route === '/api/records');
    expect(after.length).toBe(before.length);
  });

  test('updating: the new metadata, refused early when invalid, only on drafts', async () => {
    const id = await ada.createDraft();
    const updated = await ada.send('PUT', `/records/${id}/metadata`, {
      ...METADATA,
      title: 'Soil, v2',
    });
    expect(updated.status).toBe(200);
    expect(updated.json()).toMatchObject({ id, title: 'Soil, v2' });
    const refused = await ada.send('PUT', `/records/${id}/metadata`, { ...METADATA, creators: [] });
    expect(refused.status).toBe(422);
    expect(refused.json()).toMatchObject({ errors: [{ pointer: '#/creators' }] });
    expect((await ada.send('PUT', '/records/999999/metadata', METADATA)).status).toBe(404);
  });

  test('what the repository refuses at publish comes back as canonical pointers', async () => {
    // A draft made elsewhere, with only a title.
    const made = await call(`${zenodo.url}/api/records`, {
      method: 'POST',
      headers: { authorization: `Bearer ${adaTokens.access_token}` },
      json: { files: { enabled: true }, metadata: { title: 'Made by hand' } },
    });
    const id = made.json<{ id: string }>().id;
    expect((await ada.upload(id, 'a.csv', 'a')).status).toBe(201);
    const answer = await ada.publish(id);
    expect(answer.status).toBe(422);
    expect(answer.json()).toMatchObject({
      messageKey: 'repository.metadataRefused',
      errors: [
        { pointer: '#/resourceType' },
        { pointer: '#/creators' },
        { pointer: '#/publicationDate' },
      ],
    });
    // With the repository's reason for each field.
    expect(answer.json<{ errors: { detail: string }[] }>().errors[0]!.detail).toBe(
      '/resourceType zenodo refused this value: Missing data for required field.',
    );
  });
});

describe('files', () => {
  // Nested folders as a source would list them; 150 files, more than Zenodo's 100.
  const NESTED = Array.from(
    { length: 150 },
    (_, i) => `raw/site-${i % 6}/${i % 2 ? 'night' : 'day'}/reading-${i}.csv`,
  );
  const encode = (path: string) => path.replace(/\//g, '__');

  test('Zenodo has no folders: a key with "/" is refused before anything is sent', async () => {
    const id = await ada.createDraft();
    const answer = await ada.upload(id, 'raw/a.csv', 'a');
    expect(answer.status).toBe(400);
    expect(answer.json()).toMatchObject({ messageKey: 'repository.foldersUnsupported' });
    expect(await ada.files(id)).toEqual([]);
  });

  test('150 files from nested folders: encoded keys, 100 taken, the 101st refused clearly', async () => {
    const id = await ada.createDraft();
    const taken = await inBatches(NESTED.slice(0, 100), 10, (path) =>
      ada.upload(id, encode(path), `${path}\n`),
    );
    expect(taken.map((a) => a.status)).toEqual(Array(100).fill(201));
    const refused = await ada.upload(id, encode(NESTED[100]!), 'x');
    expect(refused.status).toBe(409);
    expect(refused.json()).toMatchObject({
      messageKey: 'repository.tooManyFiles',
      args: { recordId: id, maxFiles: 100 },
    });
    const files = await ada.files(id);
    expect(files).toHaveLength(100);
    expect(files.find((f) => f.key === 'raw__site-1__night__reading-1.csv')).toEqual({
      key: 'raw__site-1__night__reading-1.csv',
      status: 'completed',
      size: 'raw/site-1/night/reading-1.csv\n'.length,
      checksum: md5('raw/site-1/night/reading-1.csv\n'),
    });
    // Replacing one of them is no new file.
    expect((await ada.upload(id, encode(NESTED[0]!), 'replaced')).status).toBe(201);
    expect(await ada.files(id)).toHaveLength(100);
  });

  test('a target with folders takes the 150 nested keys as they are', async () => {
    const withFolders = await startFakeInvenio({
      maxFiles: 200,
      rateLimit: { requests: 100_000, windowMs: 60_000 },
    });
    const folderPort = await startTestService(inveniordmDefinition('invenio-folders'), {
      RDS_INVENIO_URL: withFolders.url,
      RDS_INVENIO_SERVICENAME: 'invenio-folders',
      RDS_TOKEN_STORAGE_URL: tokenStorage.url,
      RDS_INVENIO_FOLDERS: 'true',
      RDS_INVENIO_MAX_FILES: '200',
    });
    try {
      const token = withFolders.addUser('ada');
      await connect(tokenStorage, 'invenio-folders', 'ada', {
        kind: 'credentials',
        password: token,
      });
      const client = asExporter(folderPort.url, 'invenio-folders', 'ada');
      expect((await client.send('GET', '/capabilities')).json()).toMatchObject({
        folders: true,
        maxFiles: 200,
      });
      const id = await client.createDraft();
      const answers = await inBatches(NESTED, 10, (path) => client.upload(id, path, path));
      expect(answers.map((a) => a.status)).toEqual(Array(150).fill(201));
      const keys = (await client.files(id)).map((f) => f.key).sort();
      expect(keys).toEqual([...NESTED].sort());
      const published = await client.publish(id);
      expect(published.json()).toMatchObject({ state: 'published' });
      expect((await client.upload(id, 'raw/../x', 'x')).json()).toMatchObject({
        messageKey: 'repository.badKey',
      });
    } finally {
      await folderPort.close();
      await withFolders.close();
    }
  });

  test('deleting a file; none left to delete: 404; on a published record: 409', async () => {
    const id = await draftWith({ 'a.csv': 'a', 'b.csv': 'b' });
    expect((await ada.deleteFile(id, 'a.csv')).status).toBe(204);
    expect((await ada.files(id)).map((f) => f.key)).toEqual(['b.csv']);
    expect((await ada.deleteFile(id, 'a.csv')).json()).toMatchObject({
      status: 404,
      messageKey: 'repository.fileNotFound',
    });
    await ada.publish(id);
    expect((await ada.deleteFile(id, 'b.csv')).json()).toMatchObject({
      status: 409,
      messageKey: 'repository.notADraft',
    });
    expect((await ada.upload(id, 'c.csv', 'c')).json()).toMatchObject({
      status: 409,
      messageKey: 'repository.notADraft',
    });
  });
});

describe('publishing and versions', () => {
  test('publish: the record with its DOI; publishing again answers the same record', async () => {
    const id = await draftWith({ 'a.csv': 'a' });
    const answer = await ada.publish(id);
    expect(answer.status).toBe(200);
    expect(answer.json()).toMatchObject({
      id,
      state: 'published',
      doi: `10.5281/zenodo.${id}`,
      version: '1',
      links: { doi: `https://doi.org/10.5281/zenodo.${id}`, html: `${zenodo.url}/records/${id}` },
    });
    const again = await ada.publish(id);
    expect(again.status).toBe(200);
    expect(again.json()).toMatchObject({ id, state: 'published', doi: `10.5281/zenodo.${id}` });
    expect(await ada.files(id)).toEqual([
      { key: 'a.csv', status: 'completed', size: 1, checksum: md5('a') },
    ]);
  });

  test('a draft without files is not published: 409', async () => {
    const id = await ada.createDraft();
    expect((await ada.publish(id)).json()).toMatchObject({
      status: 409,
      messageKey: 'repository.filesIncomplete',
    });
  });

  test('a new version with one file changed; the earlier version keeps its files', async () => {
    const first = await draftWith({ 'a.csv': 'a1', 'b.csv': 'b1', 'c.csv': 'c1' });
    const v1 = (await ada.publish(first)).json<RepositoryRecord>();

    const made = await ada.send('POST', `/records/${first}/versions`);
    expect(made.status).toBe(201);
    const draft = made.json<RepositoryRecord>();
    expect(draft).toMatchObject({ state: 'draft', version: '2', parentId: v1.parentId });
    expect(draft.id).not.toBe(first);
    expect((await ada.files(draft.id)).map((f) => `${f.key}:${f.status}`)).toEqual([
      'a.csv:completed',
      'b.csv:completed',
      'c.csv:completed',
    ]);
    // Asking again reuses the draft, files and all.
    const reused = await ada.send('POST', `/records/${first}/versions`);
    expect(reused.json<RepositoryRecord>().id).toBe(draft.id);
    expect(await ada.files(draft.id)).toHaveLength(3);

    expect((await ada.upload(draft.id, 'b.csv', 'b2')).status).toBe(201);
    // InvenioRDM gives a new version today's date and no version: the exporter sets both.
    await ada.send('PUT', `/records/${draft.id}/metadata`, {
      ...METADATA,
      publicationDate: '2025-01-15',
      version: '2.0',
    });
    const v2 = (await ada.publish(draft.id)).json<RepositoryRecord>();
    expect(v2).toMatchObject({
      state: 'published',
      version: '2',
      doi: `10.5281/zenodo.${draft.id}`,
    });
    expect(v2.doi).not.toBe(v1.doi);

    const checksums = async (id: string) =>
      Object.fromEntries((await ada.files(id)).map((f) => [f.key, f.checksum]));
    expect(await checksums(draft.id)).toEqual({
      'a.csv': md5('a1'),
      'b.csv': md5('b2'),
      'c.csv': md5('c1'),
    });
    expect(await checksums(first)).toEqual({
      'a.csv': md5('a1'),
      'b.csv': md5('b1'),
      'c.csv': md5('c1'),
    });
    expect((await ada.record(first)).json()).toMatchObject({ state: 'published', doi: v1.doi });
  });

  test('no new version of a draft (409) or of nothing (404)', async () => {
    const id = await ada.createDraft();
    expect((await ada.send('POST', `/records/${id}/versions`)).json()).toMatchObject({
      status: 409,
      messageKey: 'repository.notPublished',
    });
    expect((await ada.send('POST', '/records/424242/versions')).status).toBe(404);
  });

  test('discarding: a draft goes; a second time 404; a published record cannot be discarded', async () => {
    const id = await draftWith({ 'a.csv': 'a' });
    expect((await ada.send('DELETE', `/records/${id}`)).status).toBe(204);
    expect((await ada.record(id)).json()).toMatchObject({
      status: 404,
      messageKey: 'repository.recordNotFound',
    });
    expect((await ada.send('DELETE', `/records/${id}`)).status).toBe(404);
    const published = await draftWith({ 'a.csv': 'a' });
    await ada.publish(published);
    expect((await ada.send('DELETE', `/records/${published}`)).json()).toMatchObject({
      status: 409,
      messageKey: 'repository.notADraft',
    });
  });
});

describe('when the repository misbehaves', () => {
  test('a 504 on publish is answered from the record, without publishing twice', async () => {
    const id = await draftWith({ 'a.csv': 'a' });
    zenodo.faults.failNextPublishAfterPublishing();
    const answer = await ada.publish(id);
    expect(answer.status).toBe(200);
    expect(answer.json()).toMatchObject({ id, state: 'published', doi: `10.5281/zenodo.${id}` });
    const publishes = zenodo.log.filter(
      (r) => r.id === id && r.route === '/api/records/:id/draft/actions/publish',
    );
    expect(publishes.map((r) => r.status)).toEqual([504]);
  });

  test('an upload cut half-way answers 502, leaves nothing behind, and can be sent again', async () => {
    const id = await draftWith({ 'a.csv': 'a' });
    const content = Buffer.alloc(4 * 1024 * 1024, 'rds');
    zenodo.faults.cutNextUploadAfter(1024 * 1024);
    const broken = await ada.upload(id, 'big.bin', content);
    expect(broken.status).toBe(502);
    expect(broken.json()).toMatchObject({ messageKey: 'repository.uploadBrokeOff' });
    expect((await ada.files(id)).map((f) => f.key)).toEqual(['a.csv']);
    const again = await ada.upload(id, 'big.bin', content);
    expect(again.status).toBe(201);
    expect(again.json()).toEqual({
      key: 'big.bin',
      status: 'completed',
      size: content.length,
      checksum: md5(content),
    });
    expect((await ada.files(id)).map((f) => f.key)).toEqual(['a.csv', 'big.bin']);
  });

  test('a file the repository refuses is answered 422 with its reason, final; nothing is left', async () => {
    // The instance takes less per file than the port was told, as after a change of its limits.
    const id = await draftWith({ 'a.csv': 'a' });
    const maxFileSize = zenodo.options.maxFileSize;
    zenodo.options.maxFileSize = 1000;
    try {
      const refused = await ada.upload(id, 'photo.jpg', Buffer.alloc(4000, 1));
      expect(refused.status).toBe(422);
      expect(refused.json()).toMatchObject({
        messageKey: 'repository.uploadRefused',
        detail: 'zenodo refused "photo.jpg": Maximum file size exceeded.',
      });
    } finally {
      zenodo.options.maxFileSize = maxFileSize;
    }
    expect((await ada.files(id)).map((f) => f.key)).toEqual(['a.csv']);
  });

  test('a pending file left by an earlier, interrupted export is replaced, not duplicated', async () => {
    const id = await ada.createDraft();
    // As a port that died mid-upload leaves it: started, some content, never committed.
    const headers = { authorization: `Bearer ${adaTokens.access_token}` };
    await call(`${zenodo.url}/api/records/${id}/draft/files`, {
      method: 'POST',
      headers,
      json: [{ key: 'left.bin' }],
    });
    await call(`${zenodo.url}/api/records/${id}/draft/files/left.bin/content`, {
      method: 'PUT',
      headers: { ...headers, 'content-type': 'application/octet-stream' },
      body: 'half',
    });
    expect(await ada.files(id)).toEqual([{ key: 'left.bin', status: 'pending' }]);
    expect((await ada.upload(id, 'left.bin', 'whole content')).status).toBe(201);
    expect(await ada.files(id)).toEqual([
      { key: 'left.bin', status: 'completed', size: 13, checksum: md5('whole content') },
    ]);
  });

  test('a checksum that does not match the bytes sent: the file is removed, 502', async () => {
    const id = await ada.createDraft();
    zenodo.faults.corruptNextCommit();
    const answer = await ada.upload(id, 'a.csv', 'a');
    expect(answer.status).toBe(502);
    expect(answer.json()).toMatchObject({ messageKey: 'repository.checksumMismatch' });
    expect(await ada.files(id)).toEqual([]);
  });

  test('a burst over the rate limit is ridden out', async () => {
    const id = await draftWith({ 'a.csv': 'a' });
    const others = await Promise.all([1, 2, 3].map(() => ada.createDraft()));
    const limited = zenodo.log.length;
    zenodo.options.rateLimit = { requests: 8, windowMs: 1000 };
    try {
      const answers = await Promise.all([
        ...Array.from({ length: 6 }, () => ada.record(id)),
        ...Array.from({ length: 4 }, () => ada.send('GET', `/records/${id}/files`)),
        ...others.map((other, i) => ada.upload(other, `burst-${i}.csv`, `burst ${i}`)),
        ada.send('POST', '/records', METADATA),
      ]);
      expect(answers.map((a) => a.status)).toEqual([
        ...Array(10).fill(200),
        ...Array(others.length).fill(201),
        201,
      ]);
      expect(zenodo.log.slice(limited).some((r) => r.status === 429)).toBe(true);
    } finally {
      zenodo.options.rateLimit = { requests: 100_000, windowMs: 60_000 };
    }
  });

  test('an access token refused (InvenioRDM: 403) is refreshed once through token-storage', async () => {
    const current = await call(`${tokenStorage.url}/connections/zenodo/token`, {
      headers: bearer({ issuer: 'zenodo', audience: 'token-storage', user: 'ada' }),
    });
    zenodo.revokeToken(current.json<{ access_token: string }>().access_token);
    const id = await ada.createDraft();
    expect((await ada.record(id)).status).toBe(200);
    const renewed = await call(`${tokenStorage.url}/connections/zenodo/token`, {
      headers: bearer({ issuer: 'zenodo', audience: 'token-storage', user: 'ada' }),
    });
    adaTokens.access_token = renewed.json<{ access_token: string }>().access_token;
    expect(adaTokens.access_token).not.toBe(current.json<{ access_token: string }>().access_token);
  });

  test("a user without a connection, or at another user's record: 403", async () => {
    const nobody = asExporter(port.url, 'zenodo', 'nobody');
    expect((await nobody.record('1')).json()).toMatchObject({
      status: 403,
      messageKey: 'repository.reconnect',
    });
    const id = await ada.createDraft();
    await connect(tokenStorage, 'zenodo', 'bob', {
      kind: 'oauth2',
      access_token: zenodo.addUser('bob'),
    });
    const bob = asExporter(port.url, 'zenodo', 'bob');
    expect((await bob.upload(id, 'a.csv', 'a')).json()).toMatchObject({
      status: 403,
      messageKey: 'repository.forbidden',
    });
  });

  test('a token refused again after the renewal: the user must connect again', async () => {
    const token = zenodo.addUser('carol');
    await connect(tokenStorage, 'zenodo', 'carol', { kind: 'oauth2', access_token: token });
    zenodo.revokeToken(token);
    const carol = asExporter(port.url, 'zenodo', 'carol');
    expect((await carol.send('POST', '/records', METADATA)).json()).toMatchObject({
      status: 403,
      messageKey: 'repository.reconnect',
    });
    const connection = await call(`${tokenStorage.url}/connections/zenodo`, {
      headers: bearer({ issuer: 'port-service', audience: 'token-storage', user: 'carol' }),
    });
    expect(connection.json()).toMatchObject({ state: 'needs-reconnection' });
  });

  test('a caller that goes away mid-upload leaves nothing behind', async () => {
    const id = await ada.createDraft();
    const upload = request(`${port.url}/records/${id}/file?key=gone.bin`, {
      method: 'PUT',
      headers: {
        ...bearer({ issuer: 'exporter', audience: 'zenodo', user: 'ada' }),
        'content-type': 'application/octet-stream',
        'content-length': String(8 * 1024 * 1024),
      },
    });
    upload.on('error', () => undefined);
    upload.write(Buffer.alloc(1024 * 1024));
    await vi.waitFor(async () => expect(await ada.files(id)).toHaveLength(1), { timeout: 5000 });
    upload.destroy();
    await vi.waitFor(async () => expect(await ada.files(id)).toEqual([]), { timeout: 5000 });
  });
});
