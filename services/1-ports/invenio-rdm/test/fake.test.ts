/**
 * The fake's own tests, from the InvenioRDM REST API reference and Zenodo's documented limits: a
 * fake that accepts anything would test nothing.
 */
import { createHash } from 'node:crypto';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { call, type Answer } from '@rds/kit/testing';
import { startFakeInvenio, type FakeInvenio } from './fake/server.ts';

let fake: FakeInvenio;
let ada: string;
let bob: string;

const METADATA = {
  resource_type: { id: 'dataset' },
  title: 'Soil moisture, Bavaria 2023',
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
  test('no token or an unknown one: 401', async () => {
    expect((await call(api(''), { method: 'POST', json: { metadata: METADATA } })).status).toBe(
      401,
    );
    expect((await send('not-a-token', 'POST', '', { metadata: METADATA })).status).toBe(401);
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
    ).toBe(401);
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
      'metadata.creators.0.person_or_org.family_name': 'Family name must be filled.',
      'metadata.colour': 'Unknown field.',
      'metadata.resource_type': 'Missing data for required field.',
    });
    // Invalid values are dropped, so that publishing finds them missing (invenio-app-rdm#898).
    expect(draft.metadata).toEqual({});
  });

  test('values outside the vocabularies are refused; an ORCID iD must pass its checksum', async () => {
    const answer = await send(ada, 'POST', '', {
      files: { enabled: true },
      metadata: {
        ...METADATA,
        resource_type: { id: 'spreadsheet' },
        creators: [
          {
            person_or_org: {
              type: 'personal',
              family_name: 'Lovelace',
              identifiers: [{ scheme: 'orcid', identifier: '0000-0002-1825-0098' }],
            },
          },
        ],
        related_identifiers: [
          { identifier: '10.1/x', scheme: 'orcid', relation_type: { id: 'iscitedby' } },
        ],
      },
    });
    const fields = answer.json<{ errors: { field: string }[] }>().errors.map((e) => e.field);
    expect(fields).toEqual([
      'metadata.resource_type.id',
      'metadata.creators.0.person_or_org.identifiers.0.identifier',
      'metadata.related_identifiers.0.scheme',
    ]);
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

  test('no folders on Zenodo: a key with "/" is refused', async () => {
    const id = await newDraft();
    const answer = await send(ada, 'POST', `/${id}/draft/files`, [{ key: 'raw/a.csv' }]);
    expect(answer.status).toBe(400);
    expect(answer.json()).toMatchObject({ errors: [{ field: '0.key' }] });
  });

  test('an instance with folders takes keys with "/", addressed as %2F', async () => {
    const withFolders = await startFakeInvenio({ folders: true });
    try {
      const token = withFolders.addUser('ada');
      const created = await call(`${withFolders.url}/api/records`, {
        method: 'POST',
        headers: auth(token),
        json: { files: { enabled: true }, metadata: METADATA },
      });
      const id = created.json<{ id: string }>().id;
      const files = `${withFolders.url}/api/records/${id}/draft/files`;
      expect(
        (await call(files, { method: 'POST', headers: auth(token), json: [{ key: 'raw/a.csv' }] }))
          .status,
      ).toBe(201);
      const file = await call(`${files}/raw%2Fa.csv`, { headers: auth(token) });
      expect(file.json()).toMatchObject({ key: 'raw/a.csv', status: 'pending' });
    } finally {
      await withFolders.close();
    }
  });

  test('at most maxFiles per record: the one after is refused', async () => {
    const id = await newDraft();
    const keys = ['1', '2', '3', '4', '5'].map((key) => ({ key }));
    expect((await send(ada, 'POST', `/${id}/draft/files`, keys)).status).toBe(201);
    const sixth = await send(ada, 'POST', `/${id}/draft/files`, [{ key: '6' }]);
    expect(sixth.status).toBe(400);
    expect(sixth.json<{ message: string }>().message).toContain('at most 5 files');
  });

  test('larger than maxFileSize: refused by its length, or once that much has arrived', async () => {
    const id = await newDraft();
    await send(ada, 'POST', `/${id}/draft/files`, [{ key: 'big' }]);
    const path = `/${id}/draft/files/big/content`;
    const chunk = Buffer.alloc(256 * 1024, 1);
    expect(await rawUpload(ada, path, [chunk], 2 * 1024 * 1024)).toMatchObject({ status: 400 });
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
    expect(answer.status).toBe(415);
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
      errors: ['resource_type', 'publication_date', 'creators'].map((name) => ({
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
    expect(pending.json()).toMatchObject({ errors: [{ field: 'files.entries' }] });
  });
});

describe('versions', () => {
  test('a new version: a draft without files or date; one at a time; files imported once', async () => {
    const first = await publishedRecord({ 'a.csv': 'a', 'b.csv': 'b' });
    const answer = await send(ada, 'POST', `/${first}/versions`);
    expect(answer.status).toBe(201);
    const draft = answer.json<{ id: string; metadata: Record<string, unknown> }>();
    expect(draft.id).not.toBe(first);
    expect(draft).toMatchObject({ is_published: false, versions: { index: 2 } });
    expect(draft.metadata.publication_date).toBeUndefined();
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
