/**
 * The fake's own tests: each rule as InvenioRDM's and Zenodo's source code has it (the fake's
 * comments name the files). A fake that accepts anything would test nothing.
 */
import { createHash } from 'node:crypto';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { call, type Answer } from '@rds/kit/testing';
import { startFakeInvenio, type FakeInvenio } from '../src/invenio-rdm/server.ts';

let fake: FakeInvenio;
let ada: string;
let bob: string;

const METADATA = {
  resource_type: { id: 'dataset' },
  title: 'Soil moisture, Bavaria 2023',
  publisher: 'Zenodo',
  publication_date: '2024-05-01',
  creators: [{ person_or_org: { type: 'personal', family_name: 'Lovelace', given_name: 'Ada' } }],
};

const auth = (token: string) => ({ authorization: `Bearer ${token}` });
const api = (path: string) => `${fake.url}/api/records${path}`;

function send(token: string, method: string, path: string, json?: unknown): Promise<Answer> {
  return call(api(path), { method, headers: auth(token), ...(json === undefined ? {} : { json }) });
}

function putContent(token: string, id: string, key: string, body: Buffer | string) {
  return call(api(`/${id}/draft/files/${encodeURIComponent(key)}/content`), {
    method: 'PUT',
    headers: { ...auth(token), 'content-type': 'application/octet-stream' },
    body,
  });
}

async function newDraft(token = ada, metadata: object = METADATA): Promise<string> {
  const answer = await send(token, 'POST', '', { files: { enabled: true }, metadata });
  expect(answer.status).toBe(201);
  return answer.json<{ id: string }>().id;
}

async function addFile(id: string, key: string, body: string, token = ada): Promise<void> {
  expect((await send(token, 'POST', `/${id}/draft/files`, [{ key }])).status).toBe(201);
  expect((await putContent(token, id, key, body)).status).toBe(200);
  expect(
    (await send(token, 'POST', `/${id}/draft/files/${encodeURIComponent(key)}/commit`)).status,
  ).toBe(200);
}

async function publishedRecord(
  files: Record<string, string> = { 'a.csv': 'x,y\n1,2\n' },
): Promise<string> {
  const id = await newDraft();
  for (const [key, body] of Object.entries(files)) await addFile(id, key, body);
  expect((await send(ada, 'POST', `/${id}/draft/actions/publish`)).status).toBe(202);
  return id;
}

/** A raw upload whose connection may be cut, and that may be sent without a length (chunked). */
function rawUpload(
  token: string,
  path: string,
  chunks: Buffer[],
  length?: number,
): Promise<{ status?: number; error?: string }> {
  return new Promise((resolve) => {
    const req = request(
      api(path),
      {
        method: 'PUT',
        headers: {
          ...auth(token),
          'content-type': 'application/octet-stream',
          ...(length === undefined ? {} : { 'content-length': String(length) }),
        },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode }));
      },
    );
    req.on('error', (error: NodeJS.ErrnoException) => resolve({ error: error.code ?? 'error' }));
    const write = async () => {
      for (const chunk of chunks) {
        if (req.destroyed) return;
        if (!req.write(chunk)) await new Promise((r) => req.once('drain', r));
      }
      req.end();
    };
    void write();
  });
}

beforeAll(async () => {
  fake = await startFakeInvenio({
    maxFiles: 5,
    maxFileSize: 1024 * 1024,
    rateLimit: { requests: 1000, windowMs: 60_000 },
  });
  ada = fake.addUser('ada');
  bob = fake.addUser('bob');
});
afterAll(async () => {
  await fake.close();
});

describe('authentication and owners', () => {
  test('no token or an unknown one: the caller is anonymous, refused with 403, never 401', async () => {
    const denied = { status: 403, message: 'Permission denied.' };
    expect((await call(api(''), { method: 'POST', json: { metadata: METADATA } })).json()).toEqual(
      denied,
    );
    expect((await send('not-a-token', 'POST', '', { metadata: METADATA })).json()).toEqual(denied);
    expect((await send('not-a-token', 'GET', '/1/draft')).json()).toEqual(denied);
    expect((await call(`${fake.url}/api/user/records`)).json()).toEqual(denied);
  });

  test('a signed-in user lists their own records and drafts at /api/user/records', async () => {
    const token = fake.addUser('dora');
    const id = await newDraft(token);
    const answer = await call(`${fake.url}/api/user/records`, { headers: auth(token) });
    expect(answer.status).toBe(200);
    expect(answer.json<{ hits: { hits: { id: string }[] } }>().hits.hits.map((h) => h.id)).toEqual([
      id,
    ]);
  });

  test("another user's draft: 403, on every draft route", async () => {
    const id = await newDraft(ada);
    for (const [method, path] of [
      ['GET', `/${id}/draft`],
      ['PUT', `/${id}/draft`],
      ['POST', `/${id}/draft/files`],
      ['POST', `/${id}/draft/actions/publish`],
      ['DELETE', `/${id}/draft`],
    ] as const) {
      const answer = await send(
        bob,
        method,
        path,
        method === 'GET' || method === 'DELETE' ? undefined : [],
      );
      expect(answer.status, `${method} ${path}`).toBe(403);
    }
  });

  test('a published record is public: readable without a token', async () => {
    const id = await publishedRecord();
    expect((await call(api(`/${id}`))).status).toBe(200);
    expect((await call(api(`/${id}/files`))).json<{ entries: unknown[] }>().entries).toHaveLength(
      1,
    );
    const content = await call(api(`/${id}/files/a.csv/content`));
    expect(content.status).toBe(200);
    expect(content.text).toBe('x,y\n1,2\n');
    expect((await call(api(`/${id}/files/missing.csv/content`))).status).toBe(404);
  });

  test('a revoked token stops working', async () => {
    const token = fake.addUser('carol');
    expect(
      (await send(token, 'POST', '', { files: { enabled: true }, metadata: METADATA })).status,
    ).toBe(201);
    fake.revokeToken(token);
    expect(
      (await send(token, 'POST', '', { files: { enabled: true }, metadata: METADATA })).status,
    ).toBe(403);
  });
});

describe('drafts', () => {
  test('a complete draft: 201, unpublished, with links and no errors', async () => {
    const answer = await send(ada, 'POST', '', { files: { enabled: true }, metadata: METADATA });
    expect(answer.status).toBe(201);
    const draft = answer.json<Record<string, unknown>>();
    expect(draft).toMatchObject({
      is_published: false,
      metadata: METADATA,
      versions: { index: 1 },
      pids: {},
      links: { publish: expect.stringContaining('/draft/actions/publish') },
    });
    expect(draft.errors).toBeUndefined();
  });

  test('an incomplete draft is saved, with every missing or invalid field in errors', async () => {
    const answer = await send(ada, 'POST', '', {
      files: { enabled: true },
      metadata: {
        title: 'ab',
        publication_date: '2024-13-01',
        creators: [{ person_or_org: { type: 'personal', given_name: 'Ada' } }],
        colour: 'blue',
      },
    });
    expect(answer.status).toBe(201);
    const draft = answer.json<{
      metadata: object;
      errors: { field: string; messages: string[] }[];
    }>();
    expect(Object.fromEntries(draft.errors.map((e) => [e.field, e.messages[0]]))).toEqual({
      'metadata.title': 'Shorter than minimum length 3.',
      'metadata.publication_date': 'Please provide a valid date or interval.',
      'metadata.creators.0.person_or_org.family_name': 'Family name cannot be blank.',
      'metadata.colour': 'Unknown field.',
      'metadata.resource_type': 'Missing data for required field.',
      'metadata.publisher': 'Missing publisher field required for DOI registration.',
    });
    // Invalid values are dropped, so that publishing finds them missing (invenio-app-rdm#898).
    expect(draft.metadata).toEqual({});
  });

  test('identifiers are checked as idutils does: ORCID check digit and range, each scheme its own', async () => {
    const person = (orcid: string) => ({
      person_or_org: {
        type: 'personal',
        family_name: 'Lovelace',
        identifiers: [{ scheme: 'orcid', identifier: orcid }],
      },
    });
    const answer = await send(ada, 'POST', '', {
      metadata: {
        ...METADATA,
        description: 'ab',
        version: 'v'.repeat(192),
        creators: [
          person('0000-0002-1825-0098'), // check digit wrong
          person('0000-0000-0000-0001'), // a valid ISNI, outside ORCID's blocks
          person('https://orcid.org/0000-0002-1825-0097'),
          {
            person_or_org: {
              type: 'personal',
              family_name: 'Hopper',
              identifiers: [
                { scheme: 'orcid', identifier: '0000-0002-1825-0097' },
                { scheme: 'orcid', identifier: '0000-0001-5109-3700' },
              ],
            },
          },
        ],
        related_identifiers: [
          { identifier: '10.1/x', scheme: 'orcid', relation_type: { id: 'iscitedby' } },
          { identifier: 'not a doi', scheme: 'doi', relation_type: { id: 'cites' } },
          { identifier: '978-3-16-148410-1', scheme: 'isbn', relation_type: { id: 'cites' } },
          { identifier: '978-3-16-148410-0', scheme: 'isbn', relation_type: { id: 'cites' } },
          { identifier: 'https://example.org/x', scheme: 'url' },
        ],
      },
    });
    expect(answer.status).toBe(201);
    const errors = answer.json<{ errors: { field: string; messages: string[] }[] }>().errors;
    expect(Object.fromEntries(errors.map((e) => [e.field, e.messages[0]]))).toEqual({
      'metadata.description': 'Shorter than minimum length 3.',
      'metadata.version': 'Longer than maximum length 191.',
      'metadata.creators.0.person_or_org.identifiers.0.identifier': 'Invalid ORCID identifier.',
      'metadata.creators.1.person_or_org.identifiers.0.identifier': 'Invalid ORCID identifier.',
      'metadata.creators.3.person_or_org.identifiers': 'Only one identifier per scheme is allowed.',
      'metadata.related_identifiers.0.scheme': 'Invalid scheme.',
      'metadata.related_identifiers.1.identifier': 'Invalid DOI identifier.',
      'metadata.related_identifiers.2.identifier': 'Invalid ISBN identifier.',
      'metadata.related_identifiers.4.relation_type': 'Missing data for required field.',
    });
  });

  test('an id outside a vocabulary: 400 "Invalid value …", and nothing is saved', async () => {
    const before = (await call(`${fake.url}/api/user/records`, { headers: auth(ada) })).json<{
      hits: { total: number };
    }>().hits.total;
    for (const [metadata, message] of [
      [{ rights: [{ id: 'gpl-3.0' }] }, 'Invalid value gpl-3.0.'],
      [{ languages: [{ id: 'xyz' }] }, 'Invalid value xyz.'],
      [{ resource_type: { id: 'spreadsheet' } }, 'Invalid value spreadsheet.'],
      [
        {
          related_identifiers: [
            { identifier: '10.1/x', scheme: 'doi', relation_type: { id: 'iscitedby2' } },
          ],
        },
        'Invalid value iscitedby2.',
      ],
      // A resource type that is not depositable (no "depositable" tag in the vocabulary).
      [{ resource_type: { id: 'project' } }, 'Not a valid value.'],
    ] as const) {
      const answer = await send(ada, 'POST', '', { metadata: { ...METADATA, ...metadata } });
      expect(answer.json(), JSON.stringify(metadata)).toEqual({ status: 400, message });
    }
    const after = (await call(`${fake.url}/api/user/records`, { headers: auth(ada) })).json<{
      hits: { total: number };
    }>().hits.total;
    expect(after).toBe(before);
    // An update with an unknown id leaves the draft as it was.
    const id = await newDraft();
    const refused = await send(ada, 'PUT', `/${id}/draft`, {
      metadata: { ...METADATA, title: 'Changed', rights: [{ id: 'cc-by-4' }] },
    });
    expect(refused.status).toBe(400);
    expect((await send(ada, 'GET', `/${id}/draft`)).json()).toMatchObject({
      metadata: { title: METADATA.title },
    });
    // Zenodo's ids are taken.
    const taken = await send(ada, 'POST', '', {
      metadata: {
        ...METADATA,
        rights: [{ id: 'cc-by-4.0' }, { id: 'gpl-3.0-only' }],
        languages: [{ id: 'eng' }],
        related_identifiers: [
          { identifier: '10.1/x', scheme: 'doi', relation_type: { id: 'issupplementto' } },
        ],
      },
    });
    expect(taken.status).toBe(201);
    expect(taken.json()).not.toHaveProperty('errors');
  });

  test('no restricted records and no metadata-only records on Zenodo', async () => {
    const restricted = await send(ada, 'POST', '', {
      access: { record: 'restricted', files: 'restricted' },
      metadata: METADATA,
    });
    expect(restricted.json()).toEqual({
      status: 400,
      message: 'A validation error occurred.',
      errors: [
        { field: 'access', messages: ["You don't have permissions to manage record access."] },
      ],
    });
    const metadataOnly = await send(ada, 'POST', '', {
      files: { enabled: false },
      metadata: METADATA,
    });
    expect(metadataOnly.status).toBe(201);
    expect(metadataOnly.json()).toMatchObject({
      files: { enabled: true },
      errors: [
        {
          field: 'files.enabled',
          messages: ["You don't have permissions to manage files options."],
        },
      ],
    });
    // Unknown fields beside metadata are dropped without a word; files default to enabled.
    const plain = await send(ada, 'POST', '', { metadata: METADATA, colour: 'blue' });
    expect(plain.status).toBe(201);
    expect(plain.json()).not.toHaveProperty('errors');
    expect(plain.json()).toMatchObject({ files: { enabled: true } });
  });

  test('a draft without a publisher is saved with an error, and not published', async () => {
    const { publisher: _publisher, ...withoutPublisher } = METADATA;
    const id = await newDraft(ada, withoutPublisher);
    await addFile(id, 'a.csv', 'a');
    const publish = await send(ada, 'POST', `/${id}/draft/actions/publish`);
    expect(publish.json()).toEqual({
      status: 400,
      message: 'A validation error occurred.',
      errors: [
        {
          field: 'metadata.publisher',
          messages: ['Missing publisher field required for DOI registration.'],
        },
      ],
    });
  });

  test('PUT replaces the draft; DELETE discards it and its files', async () => {
    const id = await newDraft();
    await addFile(id, 'a.csv', 'a');
    const updated = await send(ada, 'PUT', `/${id}/draft`, {
      files: { enabled: true },
      metadata: { ...METADATA, title: 'Another title' },
    });
    expect(updated.json()).toMatchObject({ metadata: { title: 'Another title' } });
    expect(
      (await send(ada, 'GET', `/${id}/draft/files`)).json<{ entries: unknown[] }>().entries,
    ).toHaveLength(1);
    expect((await send(ada, 'DELETE', `/${id}/draft`)).status).toBe(204);
    expect((await send(ada, 'GET', `/${id}/draft`)).status).toBe(404);
  });
});

describe('files', () => {
  test('three steps: pending, content, committed with md5 checksum and size', async () => {
    const id = await newDraft();
    const started = await send(ada, 'POST', `/${id}/draft/files`, [{ key: 'data 1.csv' }]);
    expect(started.status).toBe(201);
    expect(started.json<{ entries: object[] }>().entries).toEqual([
      expect.objectContaining({ key: 'data 1.csv', status: 'pending' }),
    ]);
    const content = await putContent(ada, id, 'data 1.csv', 'x,y\n1,2\n');
    expect(content.status).toBe(200);
    expect(content.json()).toMatchObject({ status: 'pending' });
    const committed = await send(ada, 'POST', `/${id}/draft/files/data%201.csv/commit`);
    expect(committed.status).toBe(200);
    expect(committed.json()).toMatchObject({
      key: 'data 1.csv',
      status: 'completed',
      size: 8,
      checksum: `md5:${createHash('md5').update('x,y\n1,2\n').digest('hex')}`,
    });
    expect((await send(ada, 'DELETE', `/${id}/draft/files/data%201.csv`)).status).toBe(204);
    expect((await send(ada, 'GET', `/${id}/draft/files/data%201.csv`)).status).toBe(404);
  });

  test('content is kept on disk as it streams, and removed with its draft', async () => {
    const id = await newDraft();
    await addFile(id, 'big.bin', 'z'.repeat(300_000));
    const stored = readdirSync(fake.contentFolder).map(
      (f) => statSync(join(fake.contentFolder, f)).size,
    );
    expect(stored).toContain(300_000);
    await send(ada, 'DELETE', `/${id}/draft`);
    expect(
      readdirSync(fake.contentFolder).map((f) => statSync(join(fake.contentFolder, f)).size),
    ).not.toContain(300_000);
  });

  test('a key twice, content before start, commit without content: 400', async () => {
    const id = await newDraft();
    expect((await send(ada, 'POST', `/${id}/draft/files`, [{ key: 'a' }])).status).toBe(201);
    expect((await send(ada, 'POST', `/${id}/draft/files`, [{ key: 'a' }])).status).toBe(400);
    expect((await putContent(ada, id, 'never-started', 'x')).status).toBe(404);
    expect((await send(ada, 'POST', `/${id}/draft/files/a/commit`)).status).toBe(400);
  });

  test('keys may hold "/", addressed as %2F; a key over 255 characters is refused with its content', async () => {
    const id = await newDraft();
    expect((await send(ada, 'POST', `/${id}/draft/files`, [{ key: 'raw/a.csv' }])).status).toBe(
      201,
    );
    expect((await send(ada, 'GET', `/${id}/draft/files/raw%2Fa.csv`)).json()).toMatchObject({
      key: 'raw/a.csv',
      status: 'pending',
    });
    const long = `${'ü'.repeat(252)}.csv`;
    expect((await send(ada, 'POST', `/${id}/draft/files`, [{ key: long }])).status).toBe(201);
    expect((await putContent(ada, id, long, 'x')).json()).toEqual({
      status: 400,
      message: 'Filename is too long.',
    });
    const longest = long.slice(1);
    expect((await send(ada, 'POST', `/${id}/draft/files`, [{ key: longest }])).status).toBe(201);
    expect((await putContent(ada, id, longest, 'x')).status).toBe(200);
  });

  test('an empty file is refused at commit and stays pending', async () => {
    const id = await newDraft();
    await send(ada, 'POST', `/${id}/draft/files`, [{ key: 'empty.csv' }]);
    expect((await putContent(ada, id, 'empty.csv', '')).status).toBe(200);
    expect((await send(ada, 'POST', `/${id}/draft/files/empty.csv/commit`)).json()).toEqual({
      status: 400,
      message: 'Empty files are not accepted.',
    });
    expect((await send(ada, 'GET', `/${id}/draft/files/empty.csv`)).json()).toMatchObject({
      status: 'pending',
    });
  });

  test('at most maxFiles per record: the one after is refused', async () => {
    const id = await newDraft();
    const keys = ['1', '2', '3', '4', '5'].map((key) => ({ key }));
    expect((await send(ada, 'POST', `/${id}/draft/files`, keys)).status).toBe(201);
    const sixth = await send(ada, 'POST', `/${id}/draft/files`, [{ key: '6' }]);
    expect(sixth.json()).toEqual({
      status: 400,
      message: 'Uploading selected files will result in exceeding the max amount per record.',
    });
  });

  test('larger than maxFileSize: refused by its length, or once that much has arrived', async () => {
    const id = await newDraft();
    await send(ada, 'POST', `/${id}/draft/files`, [{ key: 'big' }]);
    const path = `/${id}/draft/files/big/content`;
    const chunk = Buffer.alloc(256 * 1024, 1);
    expect(await rawUpload(ada, path, [chunk], 2 * 1024 * 1024)).toMatchObject({ status: 400 });
    expect((await putContent(ada, id, 'big', Buffer.alloc(2 * 1024 * 1024))).json()).toEqual({
      status: 400,
      message: 'Maximum file size exceeded.',
    });
    const chunked = await rawUpload(ada, path, [chunk, chunk, chunk, chunk, chunk]);
    expect(chunked.status ?? chunked.error).not.toBe(200);
    expect((await send(ada, 'GET', `/${id}/draft/files/big`)).json()).toMatchObject({
      status: 'pending',
    });
  });

  test('content must be sent as application/octet-stream', async () => {
    const id = await newDraft();
    await send(ada, 'POST', `/${id}/draft/files`, [{ key: 'a' }]);
    const answer = await call(api(`/${id}/draft/files/a/content`), {
      method: 'PUT',
      headers: { ...auth(ada), 'content-type': 'text/plain' },
      body: 'x',
    });
    expect(answer.json()).toEqual({
      status: 415,
      message: "Invalid 'Content-Type' header. Expected one of: application/octet-stream",
    });
  });
});

describe('publishing', () => {
  test('202 with a DOI; the draft is gone, the record is there', async () => {
    const id = await newDraft();
    await addFile(id, 'a.csv', 'a');
    const answer = await send(ada, 'POST', `/${id}/draft/actions/publish`);
    expect(answer.status).toBe(202);
    expect(answer.json()).toMatchObject({
      id,
      is_published: true,
      pids: { doi: { identifier: `10.5281/zenodo.${id}`, provider: 'datacite' } },
      links: { doi: `https://doi.org/10.5281/zenodo.${id}` },
    });
    expect((await send(ada, 'GET', `/${id}/draft`)).status).toBe(404);
    expect((await send(ada, 'GET', `/${id}`)).json()).toMatchObject({ is_published: true });
  });

  test('missing metadata: 400 with each field', async () => {
    const id = await newDraft(ada, { title: 'Only a title' });
    await addFile(id, 'a.csv', 'a');
    const answer = await send(ada, 'POST', `/${id}/draft/actions/publish`);
    expect(answer.status).toBe(400);
    expect(answer.json()).toEqual({
      status: 400,
      message: 'A validation error occurred.',
      errors: ['resource_type', 'creators', 'publication_date'].map((name) => ({
        field: `metadata.${name}`,
        messages: ['Missing data for required field.'],
      })),
    });
  });

  test('no files, or files not committed: 400', async () => {
    const id = await newDraft();
    const empty = await send(ada, 'POST', `/${id}/draft/actions/publish`);
    expect(empty.json()).toMatchObject({ errors: [{ field: 'files.enabled' }] });
    await send(ada, 'POST', `/${id}/draft/files`, [{ key: 'a' }]);
    const pending = await send(ada, 'POST', `/${id}/draft/actions/publish`);
    expect(pending.status).toBe(400);
    expect(pending.json()).toMatchObject({
      errors: [
        {
          field: 'files',
          messages: ['One or more files have not completed their transfer, please wait.'],
        },
      ],
    });
  });
});

describe('versions', () => {
  test("a new version: today's date, no version, no files; one at a time; files imported once", async () => {
    const first = await newDraft(ada, { ...METADATA, version: '1.0' });
    await addFile(first, 'a.csv', 'a');
    await addFile(first, 'b.csv', 'b');
    expect((await send(ada, 'POST', `/${first}/draft/actions/publish`)).status).toBe(202);
    const answer = await send(ada, 'POST', `/${first}/versions`);
    expect(answer.status).toBe(201);
    const draft = answer.json<{ id: string; metadata: Record<string, unknown> }>();
    expect(draft.id).not.toBe(first);
    expect(draft).toMatchObject({ is_published: false, versions: { index: 2 } });
    expect(draft.metadata.publication_date).toBe(new Date().toISOString().slice(0, 10));
    expect(draft.metadata.version).toBeUndefined();
    expect(draft.metadata.title).toBe(METADATA.title);
    expect(
      (await send(ada, 'GET', `/${draft.id}/draft/files`)).json<{ entries: unknown[] }>().entries,
    ).toEqual([]);

    const again = await send(ada, 'POST', `/${first}/versions`);
    expect(again.json<{ id: string }>().id).toBe(draft.id);

    const imported = await send(ada, 'POST', `/${draft.id}/draft/actions/files-import`);
    expect(imported.status).toBe(201);
    const entries = imported.json<{ entries: { key: string; status: string }[] }>().entries;
    expect(entries.map((e) => `${e.key}:${e.status}`)).toEqual([
      'a.csv:completed',
      'b.csv:completed',
    ]);
    const twice = await send(ada, 'POST', `/${draft.id}/draft/actions/files-import`);
    expect(twice.status).toBe(400);
    expect(twice.json()).toMatchObject({
      errors: [{ messages: ['Please remove all files first.'] }],
    });
  });

  test('imported files are links: deleting or replacing them in the new version leaves the old one as it was', async () => {
    const first = await publishedRecord({ 'a.csv': 'a1', 'b.csv': 'b1', 'c.csv': 'c1' });
    const draft = (await send(ada, 'POST', `/${first}/versions`)).json<{ id: string }>().id;
    await send(ada, 'POST', `/${draft}/draft/actions/files-import`);
    expect((await send(ada, 'DELETE', `/${draft}/draft/files/a.csv`)).status).toBe(204);
    expect((await send(ada, 'DELETE', `/${draft}/draft/files/b.csv`)).status).toBe(204);
    await addFile(draft, 'b.csv', 'b2'); // the same size, other bytes
    await addFile(draft, 'd.csv', 'd2');
    expect((await send(ada, 'POST', `/${draft}/draft/actions/publish`)).status).toBe(202);
    const md5 = (text: string) => `md5:${createHash('md5').update(text).digest('hex')}`;
    const files = async (id: string) =>
      Object.fromEntries(
        (await call(api(`/${id}/files`)))
          .json<{ entries: { key: string; checksum: string }[] }>()
          .entries.map((e) => [e.key, e.checksum]),
      );
    expect(await files(first)).toEqual({
      'a.csv': md5('a1'),
      'b.csv': md5('b1'),
      'c.csv': md5('c1'),
    });
    expect(await files(draft)).toEqual({
      'b.csv': md5('b2'),
      'c.csv': md5('c1'),
      'd.csv': md5('d2'),
    });
    expect((await call(api(`/${first}/files/b.csv/content`))).text).toBe('b1');
    expect((await call(api(`/${draft}/files/c.csv/content`))).text).toBe('c1');
  });

  test('latest follows the newest published version', async () => {
    const first = await publishedRecord();
    const draft = (await send(ada, 'POST', `/${first}/versions`)).json<{ id: string }>().id;
    expect((await call(api(`/${first}/versions/latest`))).json()).toMatchObject({ id: first });
    await send(ada, 'PUT', `/${draft}/draft`, { files: { enabled: true }, metadata: METADATA });
    await send(ada, 'POST', `/${draft}/draft/actions/files-import`);
    expect((await send(ada, 'POST', `/${draft}/draft/actions/publish`)).status).toBe(202);
    expect((await call(api(`/${first}/versions/latest`))).json()).toMatchObject({
      id: draft,
      versions: { index: 2, is_latest: true },
    });
  });

  test('no new version of a draft: 404', async () => {
    expect((await send(ada, 'POST', `/${await newDraft()}/versions`)).status).toBe(404);
  });
});

describe('rate limits', () => {
  test('over the limit: 429 with Retry-After and X-RateLimit headers, until the window resets', async () => {
    const limited = await startFakeInvenio({ rateLimit: { requests: 3, windowMs: 1000 } });
    try {
      const token = limited.addUser('ada');
      const get = () => call(`${limited.url}/api/records/1/draft`, { headers: auth(token) });
      const answers = [await get(), await get(), await get(), await get()];
      expect(answers.map((a) => a.status)).toEqual([404, 404, 404, 429]);
      expect(answers[2]!.headers['x-ratelimit-remaining']).toBe('0');
      expect(answers[3]!.headers).toMatchObject({ 'x-ratelimit-limit': '3', 'retry-after': '1' });
      expect(Number(answers[3]!.headers['x-ratelimit-reset'])).toBeGreaterThanOrEqual(
        Date.now() / 1000,
      );
      await new Promise((r) => setTimeout(r, 1100));
      expect((await get()).status).toBe(404);
    } finally {
      await limited.close();
    }
  });
});

describe('fault hooks', () => {
  test('a publish answered 504 has published all the same', async () => {
    const id = await newDraft();
    await addFile(id, 'a.csv', 'a');
    fake.faults.failNextPublishAfterPublishing();
    expect((await send(ada, 'POST', `/${id}/draft/actions/publish`)).status).toBe(504);
    expect((await send(ada, 'GET', `/${id}`)).json()).toMatchObject({ is_published: true });
  });

  test('an upload cut half-way: the connection resets, the file stays pending without content', async () => {
    const id = await newDraft();
    await send(ada, 'POST', `/${id}/draft/files`, [{ key: 'cut.bin' }]);
    fake.faults.cutNextUploadAfter(200_000);
    const chunk = Buffer.alloc(64 * 1024, 7);
    const cut = await rawUpload(
      ada,
      `/${id}/draft/files/cut.bin/content`,
      Array(8).fill(chunk),
      8 * chunk.length,
    );
    expect(cut.error).toMatch(/ECONNRESET|EPIPE/);
    expect((await send(ada, 'GET', `/${id}/draft/files/cut.bin`)).json()).toMatchObject({
      status: 'pending',
    });
    expect((await send(ada, 'POST', `/${id}/draft/files/cut.bin/commit`)).status).toBe(400);
  });

  test('a corrupted commit reports a checksum other than the content', async () => {
    const id = await newDraft();
    await send(ada, 'POST', `/${id}/draft/files`, [{ key: 'a' }]);
    await putContent(ada, id, 'a', 'abc');
    fake.faults.corruptNextCommit();
    const committed = await send(ada, 'POST', `/${id}/draft/files/a/commit`);
    expect(committed.json<{ checksum: string }>().checksum).not.toBe(
      `md5:${createHash('md5').update('abc').digest('hex')}`,
    );
  });

  test('held uploads wait unanswered until released; later ones pass', async () => {
    const id = await newDraft();
    await send(ada, 'POST', `/${id}/draft/files`, [{ key: 'a' }, { key: 'b' }]);
    const held = fake.faults.holdUploads();
    let answered = false;
    const upload = putContent(ada, id, 'a', 'abc').then((answer) => {
      answered = true;
      return answer;
    });
    await expect.poll(() => held.waiting()).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(answered).toBe(false);
    held.release();
    expect((await upload).status).toBe(200);
    expect((await putContent(ada, id, 'b', 'def')).status).toBe(200);
    expect(held.waiting()).toBe(1);
  });
});

describe('OAuth2 token endpoint', () => {
  const token = (form: Record<string, string>) =>
    call(`${fake.url}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(form).toString(),
    });

  test('a refresh token gives a new access token once; a wrong client is refused', async () => {
    fake.options.oauthClient = { id: 'rds', secret: 'client-secret' };
    const issued = fake.issueOAuthTokens('ada');
    const client = { client_id: 'rds', client_secret: 'client-secret' };
    const refresh = { grant_type: 'refresh_token', refresh_token: issued.refresh_token };
    expect((await token({ ...refresh, client_id: 'rds', client_secret: 'wrong' })).json()).toEqual({
      error: 'invalid_client',
    });
    const fresh = await token({ ...refresh, ...client });
    expect(fresh.status).toBe(200);
    const { access_token } = fresh.json<{ access_token: string }>();
    expect(
      (await send(access_token, 'POST', '', { files: { enabled: true }, metadata: METADATA }))
        .status,
    ).toBe(201);
    const reused = await token({ ...refresh, ...client });
    expect(reused.status).toBe(400);
    expect(reused.json()).toEqual({ error: 'invalid_grant' });
  });
});
