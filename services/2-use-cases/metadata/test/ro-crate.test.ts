import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ROCrate } from 'ro-crate';
import { bearer, call, startTestService, type RunningService } from '@rds/kit/testing';
import { startTokenStorage } from '@rds/token-storage/testing';
import { definition as localFolder, userFolder } from '@rds/local-folder';
import { definition } from '../src/index.ts';

type Entity = { '@id': string } & Record<string, unknown>;
type Crate = { '@context': unknown; '@graph': Entity[] };

const ORCID = 'https://orcid.org/0000-0002-1825-0097';
const ROR = 'https://ror.org/05gq02987';

let tokenStorage: RunningService;
let folder: RunningService;
let metadata: RunningService;
let root: string;
const asWeb = bearer({ issuer: 'web', audience: 'metadata', user: 'ada' });
const post = (route: string, json: object) =>
  call(`${metadata.url}${route}`, { method: 'POST', headers: asWeb, json });
const onDisk = (folderPath: string): Crate =>
  JSON.parse(readFileSync(join(root, folderPath, 'ro-crate-metadata.json'), 'utf8')) as Crate;
const byId = (crate: Crate) => new Map(crate['@graph'].map((e) => [e['@id'], e]));

/**
 * A crate as Describo or Crate-O leave one, made with the ro-crate library: a root with a name and
 * an author (ORCID, ROR affiliation), a File, and what RDS does not understand: a ContactPoint, a
 * custom additionalType and property, a Place with GeoCoordinates as contentLocation.
 */
function describedCrate(): Crate {
  const crate = new ROCrate({}, { array: false, link: true });
  const dataset = crate.rootDataset;
  dataset.name = 'Ocean temperatures';
  dataset.description = 'Sea surface temperatures of the Pacific, 2023.';
  dataset.datePublished = '2024-05-01';
  dataset.additionalType = { '@id': 'https://example.org/terms#OceanSurvey' };
  dataset['https://example.org/terms#cruise'] = 'RV Falkor 2024-03';
  crate.addEntity({
    '@id': 'temperatures.csv',
    '@type': 'File',
    name: 'Temperatures',
    encodingFormat: 'text/csv',
    contentSize: '8',
  });
  dataset.hasPart = [{ '@id': 'temperatures.csv' }];
  crate.addEntity({
    '@id': 'mailto:josiah@example.org',
    '@type': 'ContactPoint',
    contactType: 'data steward',
    email: 'josiah@example.org',
  });
  crate.addEntity({ '@id': ROR, '@type': 'Organization', name: 'Brown University' });
  crate.addEntity({
    '@id': ORCID,
    '@type': 'Person',
    name: 'Josiah Carberry',
    givenName: 'Josiah',
    familyName: 'Carberry',
    affiliation: { '@id': ROR },
    contactPoint: { '@id': 'mailto:josiah@example.org' },
  });
  dataset.author = [{ '@id': ORCID }];
  crate.addEntity({
    '@id': '#pacific-geo',
    '@type': 'GeoCoordinates',
    latitude: 0,
    longitude: -160,
  });
  crate.addEntity({
    '@id': '#pacific',
    '@type': 'Place',
    name: 'Pacific',
    geo: { '@id': '#pacific-geo' },
  });
  dataset.contentLocation = { '@id': '#pacific' };
  return crate.toJSON() as Crate;
}

beforeAll(async () => {
  const folderRoot = mkdtempSync(join(tmpdir(), 'rds-metadata-'));
  // ada's folder in local-folder, where the crates are.
  root = userFolder(folderRoot, 'default', 'ada');
  mkdirSync(root, { recursive: true });
  writeFileSync(join(root, 'ro-crate-metadata.json'), JSON.stringify(describedCrate(), null, 2));
  writeFileSync(join(root, 'temperatures.csv'), 'day,°C\n');
  mkdirSync(join(root, 'empty'));
  mkdirSync(join(root, 'broken'));
  writeFileSync(join(root, 'broken', 'ro-crate-metadata.json'), '{"@graph": [');
  mkdirSync(join(root, 'long-title'));
  const longTitle = { ...describedCrate() };
  for (const entity of longTitle['@graph'])
    if (entity['@id'] === './') entity.name = `Ocean temperatures ${'of the Pacific '.repeat(40)}`;
  writeFileSync(join(root, 'long-title', 'ro-crate-metadata.json'), JSON.stringify(longTitle));
  mkdirSync(join(root, 'deep'));
  writeFileSync(
    join(root, 'deep', 'ro-crate-metadata.json'),
    `{"@context":${'['.repeat(100_000)}${']'.repeat(100_000)},"@graph":[]}`,
  );
  tokenStorage = await startTokenStorage();
  folder = await startTestService(localFolder, {
    RDS_LOCAL_FOLDER_ROOT: folderRoot,
    RDS_TOKEN_STORAGE_URL: tokenStorage.url,
  });
  metadata = await startTestService(definition, {
    RDS_LOCAL_FOLDER_URL: folder.url,
    RDS_TOKEN_STORAGE_URL: tokenStorage.url,
  });
});
afterAll(async () => {
  await metadata.close();
  await folder.close();
  await tokenStorage.close();
});

describe('a crate described elsewhere', () => {
  test('is read into RDS metadata', async () => {
    const answer = await post('/ro-crate/read', { source: 'local-folder', folder: '/' });
    expect(answer.status).toBe(200);
    expect(answer.json()).toEqual({
      found: true,
      notTaken: [],
      metadata: {
        title: 'Ocean temperatures',
        description: 'Sea surface temperatures of the Pacific, 2023.',
        publicationDate: '2024-05-01',
        resourceType: 'dataset',
        creators: [
          {
            name: 'Carberry, Josiah',
            givenName: 'Josiah',
            familyName: 'Carberry',
            orcid: '0000-0002-1825-0097',
            affiliations: [{ name: 'Brown University', ror: '05gq02987' }],
          },
        ],
      },
    });
  });

  test('edited and written back, keeps everything RDS does not understand exactly as it was', async () => {
    const before = onDisk('/');
    const { metadata: read } = (
      await post('/ro-crate/read', { source: 'local-folder', folder: '/' })
    ).json<{ metadata: { creators: object[] } }>();
    const edited = {
      ...read,
      title: 'Pacific sea surface temperatures 2023',
      creators: [
        ...read.creators,
        {
          name: 'Lovelace, Ada',
          givenName: 'Ada',
          familyName: 'Lovelace',
          affiliations: [{ name: 'Brown University', ror: '05gq02987' }],
        },
      ],
    };
    const written = await post('/ro-crate/write', {
      source: 'local-folder',
      folder: '/',
      metadata: edited,
    });
    expect(written.status).toBe(200);
    expect(written.json()).toEqual({ metadata: edited, created: false });

    const after = onDisk('/');
    expect(after['@context']).toEqual(before['@context']);
    const [old, now] = [byId(before), byId(after)];
    const rootId = './';
    const { name, author, ...rest } = now.get(rootId)!;
    expect(name).toBe('Pacific sea surface temperatures 2023');
    expect(author).toEqual([{ '@id': ORCID }, { '@id': '#ada-lovelace' }]);
    expect(now.get('#ada-lovelace')).toEqual({
      '@id': '#ada-lovelace',
      '@type': 'Person',
      name: 'Ada Lovelace',
      givenName: 'Ada',
      familyName: 'Lovelace',
      affiliation: { '@id': ROR },
    });
    // Every other property of the root, and every other entity, deep-equal to what was there.
    const { name: _n, author: _a, ...restBefore } = old.get(rootId)!;
    expect(rest).toEqual(restBefore);
    for (const [id, entity] of old) if (id !== rootId) expect(now.get(id)).toEqual(entity);
    expect(now.size).toBe(old.size + 1);

    const again = await post('/ro-crate/read', { source: 'local-folder', folder: '/' });
    expect(again.json()).toEqual({ found: true, metadata: edited, notTaken: [] });
  });

  test('a creator taken out is unlinked, and its entity removed once nothing refers to it', async () => {
    const { metadata: read } = (
      await post('/ro-crate/read', { source: 'local-folder', folder: '/' })
    ).json<{ metadata: { creators: { name: string }[] } }>();
    const edited = { ...read, creators: read.creators.filter((c) => c.name !== 'Lovelace, Ada') };
    expect(
      (await post('/ro-crate/write', { source: 'local-folder', folder: '/', metadata: edited }))
        .status,
    ).toBe(200);
    const entities = byId(onDisk('/'));
    expect(entities.get('./')!.author).toEqual([{ '@id': ORCID }]);
    expect(entities.has('#ada-lovelace')).toBe(false);
    // Still the affiliation of the remaining creator.
    expect(entities.has(ROR)).toBe(true);
  });

  test('a field RDS cannot take is left out and named: a title over 500 characters', async () => {
    const answer = await post('/ro-crate/read', { source: 'local-folder', folder: '/long-title' });
    expect(answer.status).toBe(200);
    const read = answer.json<{ metadata: Record<string, unknown>; notTaken: string[] }>();
    expect(read.notTaken).toEqual(['title']);
    expect(read.metadata).not.toHaveProperty('title');
    expect(read.metadata).toMatchObject({ publicationDate: '2024-05-01', resourceType: 'dataset' });
  });
});

describe('folders', () => {
  test('without a crate: read finds none; write starts an RO-Crate 1.2', async () => {
    const read = await post('/ro-crate/read', { source: 'local-folder', folder: '/empty' });
    expect(read.json()).toEqual({ found: false, metadata: {}, notTaken: [] });
    const written = await post('/ro-crate/write', {
      source: 'local-folder',
      folder: '/empty/',
      metadata: { title: 'Nothing yet', keywords: ['empty'], license: { id: 'CC-BY-4.0' } },
    });
    expect(written.status).toBe(200);
    expect(written.json()).toMatchObject({ created: true });
    const crate = onDisk('empty');
    expect(crate['@context']).toBe('https://w3id.org/ro/crate/1.2/context');
    expect(byId(crate).get('ro-crate-metadata.json')!.conformsTo).toEqual({
      '@id': 'https://w3id.org/ro/crate/1.2',
    });
    expect(byId(crate).get('./')).toEqual({
      '@id': './',
      '@type': 'Dataset',
      name: 'Nothing yet',
      keywords: 'empty',
      license: { '@id': 'https://spdx.org/licenses/CC-BY-4.0' },
    });
    expect(new ROCrate(crate).rootDataset.name).toBe('Nothing yet');
  });

  test('a crate that is not JSON is refused with a problem, and never overwritten', async () => {
    const answer = await post('/ro-crate/read', { source: 'local-folder', folder: '/broken' });
    expect(answer.status).toBe(422);
    expect(answer.json().messageKey).toBe('rocrate.invalid');
    const write = await post('/ro-crate/write', {
      source: 'local-folder',
      folder: '/broken',
      metadata: { title: 'x' },
    });
    expect(write.status).toBe(422);
    expect(readFileSync(join(root, 'broken', 'ro-crate-metadata.json'), 'utf8')).toBe(
      '{"@graph": [',
    );
  });

  test('a crate nested 100,000 deep is refused with a problem, not a failure', async () => {
    for (const route of ['/ro-crate/read', '/ro-crate/write']) {
      const answer = await post(route, {
        source: 'local-folder',
        folder: '/deep',
        ...(route.endsWith('write') ? { metadata: { title: 'x' } } : {}),
      });
      expect(answer.status).toBe(422);
      expect(answer.json()).toMatchObject({
        messageKey: 'rocrate.invalid',
        detail: expect.stringContaining('nests deeper than 64 levels'),
      });
    }
  });

  test('a folder that does not exist cannot be written to; the port says why', async () => {
    const answer = await post('/ro-crate/write', {
      source: 'local-folder',
      folder: '/no/such/folder',
      metadata: { title: 'x' },
    });
    expect(answer.status).toBe(409);
    expect(answer.json()).toMatchObject({
      messageKey: 'source.refused',
      args: { source: 'local-folder', reason: 'storage.parentMissing' },
    });
  });

  test('a source RDS does not know is named', async () => {
    const answer = await post('/ro-crate/read', { source: 'dropbox', folder: '/' });
    expect(answer.status).toBe(422);
    expect(answer.json()).toMatchObject({
      messageKey: 'port.notCallable',
      args: { port: 'dropbox', needs: 'fileStorage' },
    });
  });

  test('only a registered storage port is called: not a number, not another service of RDS', async () => {
    for (const source of [12345, { name: 'local-folder' }, '..', 'x'.repeat(64 * 1024)]) {
      const answer = await post('/ro-crate/read', { source, folder: '/' });
      expect(answer.status).toBe(400);
      expect(answer.json()).toMatchObject({
        messageKey: 'request.invalid',
        errors: [{ pointer: '#/source' }],
      });
    }
    // token-storage is where metadata finds it, and no storage: it is not asked for a crate.
    for (const source of ['token-storage', 'metadata']) {
      const answer = await post('/ro-crate/write', {
        source,
        folder: '/',
        metadata: { title: 'x' },
      });
      expect(answer.status).toBe(422);
      expect(answer.json()).toMatchObject({
        messageKey: 'port.notCallable',
        args: { port: source },
      });
    }
  });

  test('reaching a port needs a user; only web and the exporter call', async () => {
    const noUser = await call(`${metadata.url}/ro-crate/read`, {
      method: 'POST',
      headers: bearer({ issuer: 'web', audience: 'metadata' }),
      json: { source: 'local-folder', folder: '/' },
    });
    expect(noUser.status).toBe(403);
    expect(noUser.json().messageKey).toBe('auth.noUser');
    const portService = await call(`${metadata.url}/ro-crate/read`, {
      method: 'POST',
      headers: bearer({ issuer: 'port-service', audience: 'metadata', user: 'ada' }),
      json: { source: 'local-folder', folder: '/' },
    });
    expect(portService.status).toBe(403);
  });
});
