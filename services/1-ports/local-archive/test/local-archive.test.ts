import { createHash, randomBytes } from 'node:crypto';
import {
  appendFileSync,
  cpSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { Checker, ROCrate } from 'ro-crate';
import { bearer, call, startTestService, type RunningService } from '@rds/kit/testing';
import { startTokenStorage } from '@rds/token-storage/testing';
import type { components } from '@rds/contracts/generated/repository';
import { definition } from '../src/index.ts';
import { validateBag } from './bagit.ts';
import { unzip } from './unzip.ts';

type ApiRecord = components['schemas']['Record'];
type RecordFile = components['schemas']['RecordFile'];
type ResearchMetadata = components['schemas']['ResearchMetadata'];

let tokenStorage: RunningService;
let folders: RunningService;
let zips: RunningService;
/** Everything the tests write, removed at the end. */
let scratch: string;
let folderRoot: string;
let zipRoot: string;

const as = (user: string, tenant?: string) =>
  bearer({ issuer: 'exporter', audience: 'local-archive', user, tenant });
const ada = as('ada');
const bob = as('bob');

const METADATA: ResearchMetadata = {
  title: 'Soil moisture, Garching 2024',
  description: 'Hourly readings of twelve sensors.\nCalibrated in March.',
  resourceType: 'dataset',
  keywords: ['soil', 'moisture, volumetric'],
  license: { id: 'CC-BY-4.0' },
  creators: [
    {
      name: 'Lovelace, Ada',
      givenName: 'Ada',
      familyName: 'Lovelace',
      orcid: '0000-0002-1825-0097',
      affiliations: [{ name: 'Technical University of Munich', ror: '02kkvpp62' }],
    },
    { name: 'Soil Lab', nameType: 'Organizational' },
  ],
  funding: [{ funder: { name: 'DFG', ror: '018mejw64' }, awardNumber: 'SFB 1234' }],
  relatedIdentifiers: [{ identifier: '10.1234/earlier', scheme: 'doi', relationType: 'Cites' }],
  language: 'en',
  version: '1.0',
};

/** Awkward names on purpose: spaces, Unicode, URI delimiters, %, a line break, an empty file. */
const FILES: { [key: string]: Buffer } = {
  'README.txt': Buffer.from('What this is.\n'),
  'raw/2024/sensor 1.csv': Buffer.from('time,value\n0,0.31\n'),
  'raw/2024/Ünïcödé ✓.csv': Buffer.from('t,v\n'),
  'raw/100% done #1?.txt': Buffer.from('done'),
  "notes/it's (draft) & more.md": Buffer.from('# notes'),
  'odd\nname.txt': Buffer.from('line break in the name'),
  'empty.dat': Buffer.alloc(0),
  // Larger than the body limit: uploads stream, whatever their size.
  'big/random.bin': randomBytes(3 * 1024 * 1024),
};

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
const fileUrl = (port: RunningService, id: string, key: string) =>
  `${port.url}/records/${id}/file?key=${encodeURIComponent(key)}`;

const createDraft = (port: RunningService, metadata = METADATA, headers = ada) =>
  call(`${port.url}/records`, { method: 'POST', headers, json: metadata });
const upload = (port: RunningService, id: string, key: string, body: Buffer, headers = ada) =>
  call(fileUrl(port, id, key), {
    method: 'PUT',
    headers: { ...headers, 'content-type': 'application/octet-stream' },
    body,
  });
const publish = (port: RunningService, id: string, headers = ada) =>
  call(`${port.url}/records/${id}/publish`, { method: 'POST', headers });
const listFiles = async (port: RunningService, id: string, headers = ada) =>
  (await call(`${port.url}/records/${id}/files`, { headers })).json<{ files: RecordFile[] }>()
    .files;

async function draftWith(port: RunningService, files: { [key: string]: Buffer }) {
  const created = await createDraft(port);
  expect(created.status).toBe(201);
  const draft = created.json<ApiRecord>();
  for (const [key, content] of Object.entries(files)) {
    const answer = await upload(port, draft.id, key, content);
    expect(answer.status, `${key}: ${answer.text}`).toBe(201);
  }
  return draft;
}

async function published(port: RunningService, files = FILES) {
  const draft = await draftWith(port, files);
  const answer = await publish(port, draft.id);
  expect(answer.status, answer.text).toBe(200);
  return answer.json<ApiRecord>();
}

/** Where the archive keeps a published record's bag (layout.ts); answers do not say it. */
const bagOf = (record: ApiRecord, zipped = false) =>
  join(
    zipped ? zipRoot : folderRoot,
    'published',
    'default',
    'ada',
    record.parentId!,
    `v${record.version}${zipped ? '.zip' : ''}`,
  );
const draftArea = (root: string, id: string) => join(root, 'drafts', 'default', 'ada', id);
/** Files compared by checksum: comparing megabytes byte by byte is slow in expect. */
const checksums = (files: { [key: string]: Buffer }) =>
  Object.fromEntries(Object.entries(files).map(([key, content]) => [key, sha256(content)]));
const payloadOf = (bag: string, keys: string[]) =>
  Object.fromEntries(
    keys.map((key) => [key, sha256(readFileSync(join(bag, 'data', ...key.split('/'))))]),
  );

/** Every file in a folder with its checksum and time of change. */
function snapshot(folder: string): { [path: string]: string } {
  return Object.fromEntries(
    readdirSync(folder, { recursive: true, encoding: 'utf8' })
      .filter((path) => statSync(join(folder, path)).isFile())
      .map((path) => {
        const { mtimeMs } = statSync(join(folder, path));
        return [path, `${sha256(readFileSync(join(folder, path)))} ${mtimeMs}`];
      }),
  );
}

function crateOf(bag: string): ROCrate {
  const json = JSON.parse(readFileSync(join(bag, 'data', 'ro-crate-metadata.json'), 'utf8'));
  return new ROCrate(json, { array: true, link: true });
}

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'rds-local-archive-'));
  folderRoot = join(scratch, 'folders');
  zipRoot = join(scratch, 'zips');
  tokenStorage = await startTokenStorage();
  const start = (root: string, zip: boolean) =>
    startTestService(definition, {
      RDS_LOCAL_ARCHIVE_ROOT: root,
      RDS_LOCAL_ARCHIVE_ZIP: String(zip),
      RDS_TOKEN_STORAGE_URL: tokenStorage.url,
    });
  [folders, zips] = await Promise.all([start(folderRoot, false), start(zipRoot, true)]);
});
afterAll(async () => {
  await Promise.all([folders?.close(), zips?.close()]);
  await tokenStorage?.close();
  rmSync(scratch, { recursive: true, force: true });
});

test('registers with token-storage as a repository needing no account', async () => {
  const answer = await call(`${tokenStorage.url}/service/local-archive`, {
    headers: bearer({ issuer: 'port-service', audience: 'token-storage' }),
  });
  expect(answer.json()).toMatchObject({
    servicename: 'local-archive',
    implements: ['repository'],
    authType: 'credentials',
  });
});

test('capabilities: folders, sha256, a title and a licence needed, no limits', async () => {
  const answer = await call(`${folders.url}/capabilities`, { headers: ada });
  expect(answer.json()).toEqual({
    folders: true,
    requiredMetadata: ['/title', '/license'],
    publicationModes: ['draft', 'publish', 'new-version'],
    checksum: 'sha256',
  });
});

describe('checkMetadata', () => {
  const check = (metadata: ResearchMetadata) =>
    call(`${folders.url}/metadata-check`, { method: 'POST', headers: ada, json: metadata });

  test('full metadata is fine', async () => {
    expect((await check(METADATA)).json()).toEqual({ valid: true, errors: [] });
  });

  test('a missing title, and relations RO-Crate cannot say, are reported', async () => {
    const { title: _title, ...untitled } = METADATA;
    const answer = await check({
      ...untitled,
      relatedIdentifiers: [
        { identifier: '10.1234/a', scheme: 'doi', relationType: 'IsPartOf' },
        { identifier: '10.1234/b', scheme: 'doi', relationType: 'IsReviewedBy' },
      ],
    });
    expect(answer.json()).toEqual({
      valid: false,
      errors: [
        { field: '/title', detail: expect.any(String) },
        {
          field: '/relatedIdentifiers/1/relationType',
          detail: expect.stringContaining('IsReviewedBy'),
        },
      ],
    });
  });
});

describe('a record from draft to bag', () => {
  let draft: ApiRecord;
  let record: ApiRecord;
  let bag: string;

  beforeAll(async () => {
    draft = await draftWith(folders, FILES);
    record = (await publish(folders, draft.id)).json<ApiRecord>();
    bag = bagOf(record);
  });

  test('the draft had an opaque id and the files, each with its sha256', async () => {
    expect(draft).toMatchObject({ state: 'draft', version: '1', title: METADATA.title });
    expect(draft.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(draft.links).toBeUndefined();
    const files = await listFiles(folders, draft.id);
    expect(files.map((f) => f.key).sort()).toEqual(Object.keys(FILES).sort());
    for (const file of files) {
      const content = FILES[file.key]!;
      expect(file).toEqual({
        key: file.key,
        size: content.length,
        checksum: `sha256:${sha256(content)}`,
        status: 'completed',
      });
    }
  });

  test("published: a local identifier, no DOI, and nothing of the server's paths", async () => {
    expect(record).toMatchObject({ id: draft.id, state: 'published', version: '1' });
    expect(record.doi).toBeUndefined();
    expect(record.links).toBeUndefined();
    expect(JSON.stringify(record)).not.toContain(folderRoot);
    expect(record.publishedAt).toBeDefined();
    expect(bag).toBe(join(folderRoot, 'published', 'default', 'ada', record.parentId!, 'v1'));
    const read = await call(`${folders.url}/records/${draft.id}`, { headers: ada });
    expect(read.json()).toEqual(record);
  });

  test('the bag is a valid BagIt bag holding every file as uploaded', () => {
    const { info, payload } = validateBag(bag);
    expect(payload.sort()).toEqual([...Object.keys(FILES), 'ro-crate-metadata.json'].sort());
    expect(payloadOf(bag, Object.keys(FILES))).toEqual(checksums(FILES));
    expect(info).toMatchObject({
      'External-Identifier': `urn:rds:local-archive:${record.id}`,
      'External-Description': METADATA.title,
      'Bag-Group-Identifier': `urn:rds:local-archive:${record.parentId}`,
      'Bagging-Date': record.publishedAt!.slice(0, 10),
    });
    expect(readdirSync(bag).sort()).toEqual([
      'bag-info.txt',
      'bagit.txt',
      'data',
      'manifest-md5.txt',
      'manifest-sha256.txt',
      'tagmanifest-md5.txt',
      'tagmanifest-sha256.txt',
    ]);
  });

  test('the validator does catch a damaged bag', () => {
    const damaged = mkdtempSync(join(scratch, 'damaged-'));
    // A copy, so that the archive's bag stays as it is: one file changed, one added.
    cpSync(bag, damaged, { recursive: true });
    writeFileSync(join(damaged, 'data', 'README.txt'), 'What this is!\n');
    writeFileSync(join(damaged, 'data', 'stowaway.txt'), 'x');
    expect(() => validateBag(damaged)).toThrow(/README\.txt" has another checksum[\s\S]*stowaway/);
  });

  test('its RO-Crate says the metadata and lists every file', () => {
    const crate = crateOf(bag);
    const root = crate.rootDataset;
    expect(root.name).toEqual([METADATA.title]);
    expect(root.description).toEqual([METADATA.description]);
    expect(root.identifier).toEqual([`urn:rds:local-archive:${record.id}`]);
    expect(root.version).toEqual(['1.0']);
    expect(root.keywords).toEqual(METADATA.keywords);
    // Where the metadata has no publication date, the day of publishing.
    expect(root.datePublished).toEqual([record.publishedAt!.slice(0, 10)]);
    expect(root.license[0]['@id']).toBe('https://spdx.org/licenses/CC-BY-4.0');
    const [person, organization] = root.author;
    expect(person).toMatchObject({
      '@id': 'https://orcid.org/0000-0002-1825-0097',
      '@type': ['Person'],
      name: ['Ada Lovelace'],
      givenName: ['Ada'],
      familyName: ['Lovelace'],
    });
    expect(person.affiliation[0]).toMatchObject({
      '@id': 'https://ror.org/02kkvpp62',
      '@type': ['Organization'],
      name: ['Technical University of Munich'],
    });
    expect(organization).toMatchObject({ '@type': ['Organization'], name: ['Soil Lab'] });
    expect(root.citation[0]['@id']).toBe('https://doi.org/10.1234/earlier');
    const parts = root.hasPart.map((part: { '@id': string }) => part['@id']);
    expect(parts).toHaveLength(Object.keys(FILES).length);
    // RO-Crate 1.2: what an IRI path cannot hold is percent-encoded, letters of any script are not.
    const ids: { [key: string]: string } = {
      'README.txt': 'README.txt',
      'raw/2024/sensor 1.csv': 'raw/2024/sensor%201.csv',
      'raw/2024/Ünïcödé ✓.csv': 'raw/2024/Ünïcödé%20✓.csv',
      'raw/100% done #1?.txt': 'raw/100%25%20done%20%231%3F.txt',
      "notes/it's (draft) & more.md": "notes/it's%20(draft)%20&%20more.md",
      'odd\nname.txt': 'odd%0Aname.txt',
      'empty.dat': 'empty.dat',
      'big/random.bin': 'big/random.bin',
    };
    for (const [key, content] of Object.entries(FILES)) {
      const id = ids[key]!;
      expect(parts).toContain(id);
      expect(crate.getEntity(id)).toMatchObject({
        '@type': ['File'],
        contentSize: [String(content.length)],
        sha256: [sha256(content)],
      });
    }
    expect(crate.getEntity('raw/2024/sensor%201.csv')!.encodingFormat).toEqual(['text/csv']);
    const checker = new Checker(crate);
    for (const check of [
      checker.hasRootDataset(),
      checker.hasRootDatasetWithProperID(),
      checker.hasName(),
      checker.hasDescription(),
      checker.hasLicense(),
      checker.hasDatePublished(),
    ])
      expect(check.status, check.message).toBe(true);
  });

  test('the working area is gone; publishing again changes nothing', async () => {
    expect(existsSync(draftArea(folderRoot, draft.id))).toBe(false);
    const before = statSync(join(bag, 'manifest-sha256.txt')).mtimeMs;
    const again = await publish(folders, draft.id);
    expect(again.status).toBe(200);
    expect(again.json()).toEqual(record);
    expect(statSync(join(bag, 'manifest-sha256.txt')).mtimeMs).toBe(before);
  });

  test('publishing twice at once makes one bag', async () => {
    const twice = await draftWith(folders, { 'a.txt': Buffer.from('a') });
    const [first, second] = await Promise.all([
      publish(folders, twice.id),
      publish(folders, twice.id),
    ]);
    expect(first.status).toBe(200);
    expect(second.json()).toEqual(first.json());
    expect(readdirSync(dirname(bagOf(first.json<ApiRecord>())))).toEqual(['v1']);
  });

  test('a published record takes no more changes', async () => {
    const refused = [
      await upload(folders, record.id, 'late.txt', Buffer.from('x')),
      await call(`${folders.url}/records/${record.id}`, { method: 'DELETE', headers: ada }),
      await call(`${folders.url}/records/${record.id}/metadata`, {
        method: 'PUT',
        headers: ada,
        json: METADATA,
      }),
    ];
    for (const answer of refused) {
      expect(answer.status).toBe(409);
      expect(answer.json().messageKey).toBe('repository.notADraft');
    }
  });
});

describe('zipped bags', () => {
  let record: ApiRecord;
  let zip: string;

  beforeAll(async () => {
    record = await published(zips);
    zip = bagOf(record, true);
  });

  test('the bag is one .zip holding one folder named like it', async () => {
    expect(zip).toBe(join(zipRoot, 'published', 'default', 'ada', record.parentId!, 'v1.zip'));
    expect(readdirSync(dirname(zip))).toEqual(['v1.zip']);
    const { folder, names } = await unzip(zip, scratch);
    expect(new Set(names.map((name) => name.split('/')[0]))).toEqual(new Set(['v1']));
    const bag = join(folder, 'v1');
    const { payload } = validateBag(bag);
    expect(payload.sort()).toEqual([...Object.keys(FILES), 'ro-crate-metadata.json'].sort());
    expect(payloadOf(bag, Object.keys(FILES))).toEqual(checksums(FILES));
    expect(crateOf(bag).rootDataset.name).toEqual([METADATA.title]);
  });

  test('a new version is unpacked from the zip, checked, and zipped beside it', async () => {
    const next = await call(`${zips.url}/records/${record.id}/versions`, {
      method: 'POST',
      headers: ada,
    });
    expect(next.status).toBe(201);
    const draft = next.json<ApiRecord>();
    expect((await upload(zips, draft.id, 'README.txt', Buffer.from('v2'))).status).toBe(201);
    const v2 = (await publish(zips, draft.id)).json<ApiRecord>();
    expect(readdirSync(dirname(zip)).sort()).toEqual(['v1.zip', 'v2.zip']);
    const { folder } = await unzip(bagOf(v2, true), scratch);
    validateBag(join(folder, 'v2'));
    const expected = { ...FILES, 'README.txt': Buffer.from('v2') };
    expect(payloadOf(join(folder, 'v2'), Object.keys(expected))).toEqual(checksums(expected));
  });
});

describe('new versions', () => {
  let v1: ApiRecord;
  let v1Snapshot: { [path: string]: string };
  const CHANGED = Buffer.from('time,value\n0,0.29\n');

  beforeAll(async () => {
    v1 = await published(folders);
    v1Snapshot = snapshot(bagOf(v1));
  });

  test('a draft seeded with the files of the latest version; asked again, the same draft', async () => {
    const first = await call(`${folders.url}/records/${v1.id}/versions`, {
      method: 'POST',
      headers: ada,
    });
    expect(first.status).toBe(201);
    const draft = first.json<ApiRecord>();
    expect(draft).toMatchObject({ state: 'draft', version: '2', parentId: v1.parentId });
    expect(draft.id).not.toBe(v1.id);
    const files = await listFiles(folders, draft.id);
    expect(
      Object.fromEntries(files.map((f) => [f.key, f.checksum!.slice('sha256:'.length)])),
    ).toEqual(checksums(FILES));
    const again = await call(`${folders.url}/records/${v1.id}/versions`, {
      method: 'POST',
      headers: ada,
    });
    expect(again.json<ApiRecord>().id).toBe(draft.id);
  });

  test('v2 is a new bag beside v1 with the changes; v1 is untouched', async () => {
    const draft = (
      await call(`${folders.url}/records/${v1.id}/versions`, { method: 'POST', headers: ada })
    ).json<ApiRecord>();
    expect((await upload(folders, draft.id, 'raw/2024/sensor 1.csv', CHANGED)).status).toBe(201);
    expect((await upload(folders, draft.id, 'raw/2025/new.csv', CHANGED)).status).toBe(201);
    const removed = await call(fileUrl(folders, draft.id, 'empty.dat'), {
      method: 'DELETE',
      headers: ada,
    });
    expect(removed.status).toBe(204);
    const v2 = (await publish(folders, draft.id)).json<ApiRecord>();
    expect(v2).toMatchObject({ state: 'published', version: '2', parentId: v1.parentId });
    const v2Bag = bagOf(v2);
    expect(v2Bag).toBe(join(dirname(bagOf(v1)), 'v2'));
    const { payload } = validateBag(v2Bag);
    expect(payload).toContain('raw/2025/new.csv');
    expect(payload).not.toContain('empty.dat');
    expect(readFileSync(join(v2Bag, 'data', 'raw', '2024', 'sensor 1.csv'))).toEqual(CHANGED);

    expect(snapshot(bagOf(v1))).toEqual(v1Snapshot);
    expect(readdirSync(dirname(bagOf(v1))).sort()).toEqual(['v1', 'v2']);
    // The version name of v1 is not carried over; the crate says the version number instead.
    expect(crateOf(v2Bag).rootDataset.version).toEqual(['2']);
  });

  test('only a published record has new versions', async () => {
    const draft = (await createDraft(folders)).json<ApiRecord>();
    const answer = await call(`${folders.url}/records/${draft.id}/versions`, {
      method: 'POST',
      headers: ada,
    });
    expect(answer.status).toBe(409);
    expect(answer.json().messageKey).toBe('repository.notPublished');
  });
});

describe('uploads', () => {
  test('an upload cut off half-way leaves nothing; sent again, it arrives whole', async () => {
    const draft = (await createDraft(folders)).json<ApiRecord>();
    const incoming = join(draftArea(folderRoot, draft.id), 'incoming');
    const content = randomBytes(2 * 1024 * 1024);
    const cut = request(fileUrl(folders, draft.id, 'data/cut.bin'), {
      method: 'PUT',
      headers: {
        ...ada,
        'content-type': 'application/octet-stream',
        'content-length': String(content.length),
      },
    });
    cut.on('error', () => undefined);
    cut.write(content.subarray(0, 512 * 1024));
    // The partial file is there while the upload goes on…
    await until(() => readdirSync(incoming).length === 1);
    cut.destroy();
    // … and gone once it has broken off.
    await until(() => readdirSync(incoming).length === 0);
    expect(await listFiles(folders, draft.id)).toEqual([]);
    expect(readdirSync(join(draftArea(folderRoot, draft.id), 'blobs'))).toEqual([]);

    const whole = await upload(folders, draft.id, 'data/cut.bin', content);
    expect(whole.status).toBe(201);
    expect(whole.json()).toMatchObject({
      size: content.length,
      checksum: `sha256:${sha256(content)}`,
    });
  });

  test('uploads side by side all arrive; none overwrites the record of another', async () => {
    const draft = (await createDraft(folders)).json<ApiRecord>();
    const keys = Array.from({ length: 12 }, (_, i) => `parallel/${i}.txt`);
    const answers = await Promise.all(
      keys.map((key) => upload(folders, draft.id, key, Buffer.from(key))),
    );
    expect(answers.map((a) => a.status)).toEqual(keys.map(() => 201));
    expect((await listFiles(folders, draft.id)).map((f) => f.key).sort()).toEqual(keys.sort());
  });

  test('an upload of a key there is already replaces its file', async () => {
    const draft = await draftWith(folders, { 'a.txt': Buffer.from('one') });
    expect((await upload(folders, draft.id, 'a.txt', Buffer.from('two'))).status).toBe(201);
    expect(await listFiles(folders, draft.id)).toEqual([
      {
        key: 'a.txt',
        size: 3,
        checksum: `sha256:${sha256(Buffer.from('two'))}`,
        status: 'completed',
      },
    ]);
    // The content of the replaced file is gone too.
    expect(readdirSync(join(draftArea(folderRoot, draft.id), 'blobs'))).toEqual([
      sha256(Buffer.from('two')),
    ]);
  });

  test.each([
    '../escape.txt',
    'a/../../escape.txt',
    '/etc/passwd',
    'a//b.txt',
    'folder/',
    './here.txt',
    'nul\0.txt',
    'back\\slash.txt',
    `${'x'.repeat(256)}.txt`,
  ])('the key %j is refused, nothing written', async (key) => {
    const draft = (await createDraft(folders)).json<ApiRecord>();
    const answer = await upload(folders, draft.id, key, Buffer.from('x'));
    expect(answer.status).toBe(400);
    // The kit refuses text with NUL in any request before a handler sees it.
    expect(answer.json().messageKey).toBe(
      key.includes('\0') ? 'request.invalid' : 'repository.badKey',
    );
    expect(await listFiles(folders, draft.id)).toEqual([]);
    expect(readdirSync(join(draftArea(folderRoot, draft.id), 'blobs'))).toEqual([]);
  });

  test('a name cannot be a file and a folder at once', async () => {
    const draft = await draftWith(folders, { a: Buffer.from('file') });
    const under = await upload(folders, draft.id, 'a/b.txt', Buffer.from('x'));
    expect(under.status).toBe(409);
    expect(under.json().messageKey).toBe('repository.keyConflict');
    expect((await upload(folders, draft.id, 'c/d.txt', Buffer.from('x'))).status).toBe(201);
    expect((await upload(folders, draft.id, 'c', Buffer.from('x'))).status).toBe(409);
  });

  test("a draft's files are on disk as each change lands: a restart finds them, and not one a crash cut off", async () => {
    const draft = await draftWith(folders, {
      'a.txt': Buffer.from('one'),
      'b/c.txt': Buffer.from('two'),
      'd.txt': Buffer.from('three'),
    });
    expect((await upload(folders, draft.id, 'a.txt', Buffer.from('four'))).status).toBe(201);
    const deleted = await call(fileUrl(folders, draft.id, 'd.txt'), {
      method: 'DELETE',
      headers: ada,
    });
    expect(deleted.status).toBe(204);
    const root = join(scratch, 'restarted');
    cpSync(folderRoot, root, { recursive: true });
    // A crash in the middle of recording an upload: the client never had its answer.
    appendFileSync(join(draftArea(root, draft.id), 'files.jsonl'), '{"put":{"key":"torn.txt","si');
    const restart = () =>
      startTestService(definition, {
        RDS_LOCAL_ARCHIVE_ROOT: root,
        RDS_TOKEN_STORAGE_URL: tokenStorage.url,
      });
    const keysAndSums = async (port: RunningService) =>
      (await listFiles(port, draft.id)).map((f) => `${f.key} ${f.checksum}`);
    let port = await restart();
    try {
      expect(await keysAndSums(port)).toEqual([
        `a.txt sha256:${sha256(Buffer.from('four'))}`,
        `b/c.txt sha256:${sha256(Buffer.from('two'))}`,
      ]);
      expect((await upload(port, draft.id, 'e.txt', Buffer.from('five'))).status).toBe(201);
      await port.close();
      // The change after the one cut off is read whole.
      port = await restart();
      expect(await keysAndSums(port)).toEqual([
        `a.txt sha256:${sha256(Buffer.from('four'))}`,
        `b/c.txt sha256:${sha256(Buffer.from('two'))}`,
        `e.txt sha256:${sha256(Buffer.from('five'))}`,
      ]);
      expect((await publish(port, draft.id)).status).toBe(200);
    } finally {
      await port.close();
    }
  });

  test('deleting a file that is not there: 404', async () => {
    const draft = (await createDraft(folders)).json<ApiRecord>();
    const answer = await call(fileUrl(folders, draft.id, 'nothing.txt'), {
      method: 'DELETE',
      headers: ada,
    });
    expect(answer.status).toBe(404);
    expect(answer.json().messageKey).toBe('repository.fileNotFound');
  });
});

describe('an RO-Crate among the files', () => {
  const uploaded = {
    '@context': 'https://w3id.org/ro/crate/1.1/context',
    '@graph': [
      {
        '@id': 'ro-crate-metadata.json',
        '@type': 'CreativeWork',
        conformsTo: { '@id': 'https://w3id.org/ro/crate/1.1' },
        about: { '@id': './' },
      },
      {
        '@id': './',
        '@type': 'Dataset',
        name: 'Old title',
        contentLocation: { '@id': '#garching' },
        hasPart: [{ '@id': 'https://example.org/elsewhere.csv' }],
      },
      { '@id': '#garching', '@type': 'Place', name: 'Garching' },
    ],
  };

  test('is completed, not replaced: what it says beside the metadata stays', async () => {
    const record = await published(folders, {
      'ro-crate-metadata.json': Buffer.from(JSON.stringify(uploaded)),
      'a.csv': Buffer.from('x\n'),
    });
    const bag = bagOf(record);
    validateBag(bag);
    const crate = crateOf(bag);
    expect(crate.rootDataset.name).toEqual([METADATA.title]);
    expect(crate.rootDataset.contentLocation[0]).toMatchObject({ name: ['Garching'] });
    expect(crate.rootDataset.hasPart.map((p: { '@id': string }) => p['@id']).sort()).toEqual([
      'a.csv',
      'https://example.org/elsewhere.csv',
    ]);
    const listed = await listFiles(folders, record.id);
    const inBag = readFileSync(join(bag, 'data', 'ro-crate-metadata.json'));
    expect(listed.find((f) => f.key === 'ro-crate-metadata.json')!.checksum).toBe(
      `sha256:${sha256(inBag)}`,
    );
  });

  test('one that is no crate is refused at upload', async () => {
    const draft = (await createDraft(folders)).json<ApiRecord>();
    for (const content of ['not json', JSON.stringify({ '@graph': [{ '@id': './' }] })]) {
      const answer = await upload(
        folders,
        draft.id,
        'ro-crate-metadata.json',
        Buffer.from(content),
      );
      expect(answer.status).toBe(400);
      expect(answer.json().messageKey).toBe('repository.badCrate');
    }
  });
});

describe('the RO-Crate of a record is a valid RO-Crate 1.2, whatever crate came with it', () => {
  const CC_BY = 'https://creativecommons.org/licenses/by/4.0/';
  /** A crate as made elsewhere: RO-Crate 1.1, file ids as typed, a licence named in words. */
  const imported = {
    '@context': 'https://w3id.org/ro/crate/1.1/context',
    '@graph': [
      {
        '@id': 'ro-crate-metadata.json',
        '@type': 'CreativeWork',
        conformsTo: { '@id': 'https://w3id.org/ro/crate/1.1' },
        about: { '@id': './' },
      },
      {
        '@id': './',
        '@type': 'Dataset',
        name: 'Messwerte',
        license: { '@id': CC_BY },
        hasPart: [{ '@id': 'Messwerte – Juli.csv' }, { '@id': 'gone.csv' }],
      },
      {
        '@id': 'Messwerte – Juli.csv',
        '@type': 'File',
        name: 'Messwerte Juli',
        description: 'Stündlich',
      },
      { '@id': 'gone.csv', '@type': 'File', author: { '@id': '#left-behind' } },
      { '@id': '#left-behind', '@type': 'Person', name: 'Only on gone.csv' },
      { '@id': '#orphan', '@type': 'Place', name: 'Nothing refers to me' },
      { '@id': CC_BY, '@type': 'CreativeWork', name: 'Creative Commons Attribution 4.0' },
    ],
  };
  const metadata = { ...METADATA, license: { id: 'CC-BY-4.0', url: CC_BY } };
  type Graph = { '@context': unknown; '@graph': { '@id': string; [k: string]: unknown }[] };
  let crate: Graph;
  const entity = (id: string) => crate['@graph'].find((e) => e['@id'] === id);

  beforeAll(async () => {
    const draft = (await createDraft(folders, metadata)).json<ApiRecord>();
    const files = {
      'ro-crate-metadata.json': Buffer.from(JSON.stringify(imported)),
      'Messwerte – Juli.csv': Buffer.from('t,v\n'),
      'neu.csv': Buffer.from('t,v\n1,2\n'),
    };
    for (const [key, content] of Object.entries(files))
      expect((await upload(folders, draft.id, key, content)).status).toBe(201);
    const answer = await publish(folders, draft.id);
    expect(answer.status, answer.text).toBe(200);
    const bag = bagOf(answer.json<ApiRecord>());
    crate = JSON.parse(readFileSync(join(bag, 'data', 'ro-crate-metadata.json'), 'utf8')) as Graph;
  });

  test('RO-Crate 1.2, whose context defines sha256', () => {
    expect(crate['@context']).toBe('https://w3id.org/ro/crate/1.2/context');
    expect(entity('ro-crate-metadata.json')!.conformsTo).toEqual({
      '@id': 'https://w3id.org/ro/crate/1.2',
    });
  });

  test('every file once, under one id, whatever its name; no file that is not in the bag', () => {
    const root = entity('./')!;
    expect(root.hasPart).toEqual([{ '@id': 'Messwerte%20–%20Juli.csv' }, { '@id': 'neu.csv' }]);
    const ids = crate['@graph'].map((e) => e['@id']);
    expect(ids).not.toContain('Messwerte – Juli.csv');
    expect(ids).not.toContain('Messwerte%20%E2%80%93%20Juli.csv');
    expect(ids).not.toContain('gone.csv');
    // What the imported crate said of the file stays with it.
    expect(entity('Messwerte%20–%20Juli.csv')).toMatchObject({
      '@type': 'File',
      name: 'Messwerte Juli',
      description: 'Stündlich',
      contentSize: '4',
      sha256: sha256(Buffer.from('t,v\n')),
    });
  });

  test('no entity is left that nothing refers to; the licence keeps its name', () => {
    const ids = crate['@graph'].map((e) => e['@id']);
    expect(ids).not.toContain('#left-behind');
    expect(ids).not.toContain('#orphan');
    expect(entity('./')!.license).toEqual({ '@id': CC_BY });
    expect(entity(CC_BY)).toEqual({
      '@id': CC_BY,
      '@type': 'CreativeWork',
      name: 'Creative Commons Attribution 4.0',
    });
    const checker = new Checker(new ROCrate(crate, { array: true, link: true }));
    for (const check of [checker.hasRootDatasetWithProperID(), checker.hasLicense()])
      expect(check.status, check.message).toBe(true);
  });

  test("the publisher is the archive's where the metadata names none", () => {
    expect(entity('./')!.publisher).toEqual({ '@id': '#rds-local-archive' });
    expect(entity('#rds-local-archive')).toEqual({
      '@id': '#rds-local-archive',
      '@type': 'Organization',
      name: 'RDS local archive',
    });
  });

  test('a licence is needed: the check names it, and no bag is written without one', async () => {
    const { license: _license, ...unlicensed } = METADATA;
    const check = await call(`${folders.url}/metadata-check`, {
      method: 'POST',
      headers: ada,
      json: unlicensed,
    });
    expect(check.json()).toEqual({
      valid: false,
      errors: [{ field: '/license', detail: expect.stringContaining('RO-Crate') }],
    });
    const draft = (await createDraft(folders, unlicensed)).json<ApiRecord>();
    expect((await upload(folders, draft.id, 'a.csv', Buffer.from('a'))).status).toBe(201);
    const refused = await publish(folders, draft.id);
    expect(refused.status).toBe(422);
    expect(refused.json().errors).toEqual([
      { pointer: '#/license', detail: expect.stringContaining('RO-Crate') },
    ]);
    expect(existsSync(join(folderRoot, 'published', 'default', 'ada', draft.parentId!))).toBe(
      false,
    );
  });

  test('a crate nested 100,000 deep is refused at upload, not a failure', async () => {
    const draft = (await createDraft(folders)).json<ApiRecord>();
    const deep = `{"@context":${'['.repeat(100_000)}${']'.repeat(100_000)},"@graph":[]}`;
    const answer = await upload(folders, draft.id, 'ro-crate-metadata.json', Buffer.from(deep));
    expect(answer.status).toBe(400);
    expect(answer.json().messageKey).toBe('repository.badCrate');
  });
});

describe('drafts', () => {
  test('metadata can be replaced; publishing needs a title, a licence and files', async () => {
    const draft = (await createDraft(folders, { description: 'untitled' })).json<ApiRecord>();
    const noTitle = await publish(folders, draft.id);
    expect(noTitle.status).toBe(422);
    expect(noTitle.json()).toMatchObject({
      messageKey: 'repository.metadataRefused',
      errors: [{ pointer: '#/title' }, { pointer: '#/license' }],
    });
    const updated = await call(`${folders.url}/records/${draft.id}/metadata`, {
      method: 'PUT',
      headers: ada,
      json: METADATA,
    });
    expect(updated.json()).toMatchObject({ id: draft.id, title: METADATA.title, state: 'draft' });
    const noFiles = await publish(folders, draft.id);
    expect(noFiles.status).toBe(409);
    expect(noFiles.json().messageKey).toBe('repository.filesIncomplete');
  });

  test('discarding a draft deletes its working area', async () => {
    const draft = await draftWith(folders, { 'a.txt': Buffer.from('a') });
    expect(existsSync(draftArea(folderRoot, draft.id))).toBe(true);
    const answer = await call(`${folders.url}/records/${draft.id}`, {
      method: 'DELETE',
      headers: ada,
    });
    expect(answer.status).toBe(204);
    expect(existsSync(draftArea(folderRoot, draft.id))).toBe(false);
    expect((await call(`${folders.url}/records/${draft.id}`, { headers: ada })).status).toBe(404);
  });
});

describe('each user sees only their own records', () => {
  let draft: ApiRecord;
  let record: ApiRecord;

  beforeAll(async () => {
    draft = await draftWith(folders, { 'a.txt': Buffer.from('a') });
    record = await published(folders, { 'b.txt': Buffer.from('b') });
  });

  test.each([
    ['bob', bob],
    ['ada of another tenant', as('ada', 'other')],
  ])('%s gets 404 for all of them', async (_who, headers) => {
    for (const id of [draft.id, record.id]) {
      const answers = [
        await call(`${folders.url}/records/${id}`, { headers }),
        await call(`${folders.url}/records/${id}/files`, { headers }),
        await upload(folders, id, 'planted.txt', Buffer.from('x'), headers),
        await call(fileUrl(folders, id, 'a.txt'), { method: 'DELETE', headers }),
        await call(`${folders.url}/records/${id}/metadata`, { method: 'PUT', headers, json: {} }),
        await call(`${folders.url}/records/${id}/publish`, { method: 'POST', headers }),
        await call(`${folders.url}/records/${id}/versions`, { method: 'POST', headers }),
        await call(`${folders.url}/records/${id}`, { method: 'DELETE', headers }),
      ];
      for (const answer of answers) {
        expect(answer.status).toBe(404);
        expect(answer.json().messageKey).toBe('repository.recordNotFound');
      }
    }
    expect((await listFiles(folders, draft.id)).map((f) => f.key)).toEqual(['a.txt']);
  });

  test('ids are not paths', async () => {
    for (const id of ['..', '.', 'a..b']) {
      const answer = await call(`${folders.url}/records/${id}/files`, { headers: ada });
      expect(answer.status, id).toBe(404);
    }
  });

  test('a call for no user is refused: 403', async () => {
    const answer = await createDraft(
      folders,
      METADATA,
      bearer({ issuer: 'exporter', audience: 'local-archive' }),
    );
    expect(answer.status).toBe(403);
    expect(answer.json().messageKey).toBe('auth.noUser');
  });

  test('a call without a service token is refused: 401', async () => {
    expect((await call(`${folders.url}/records/${draft.id}`)).status).toBe(401);
    expect((await call(`${folders.url}/records`, { method: 'POST', json: METADATA })).status).toBe(
      401,
    );
  });
});

async function until(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  for (const start = Date.now(); !condition(); await sleep(10)) {
    if (Date.now() - start > timeoutMs) throw new Error('timed out waiting');
  }
}
