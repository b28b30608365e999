import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { bearer, call, startTestService } from '@rds/kit/testing';
import { definition } from '../src/index.ts';
import { clientOf, etagOf, expectProblem, startStack, type Client, type Stack } from './harness.ts';

interface Context {
  id: string;
  name: string;
  description: string;
  status: string;
  sources: { id: string; port: string; settings: unknown }[];
  targets: { id: string; port: string; settings: unknown }[];
  metadata?: unknown;
  deletedAt?: string;
}

let stack: Stack;
let ada: Client;
const as = (user: string, tenant?: string) =>
  clientOf(stack.research.url, { user, ...(tenant ? { tenant } : {}) });

async function create(client: Client, name: string) {
  const answer = await client.post('/contexts', { name });
  expect(answer.status, answer.text).toBe(201);
  return { context: answer.json<Context>(), etag: etagOf(answer) };
}

beforeAll(async () => {
  stack = await startStack();
  ada = as('ada');
});
afterAll(() => stack.close());

describe('contexts, as research-manager keeps them', () => {
  test('a new context comes back with its ETag and Location, and reads back the same', async () => {
    const created = await ada.post('/contexts', { name: 'Soil samples', description: 'Plot 7' });
    expect(created.status).toBe(201);
    const context = created.json<Context>();
    expect(context).toMatchObject({
      name: 'Soil samples',
      description: 'Plot 7',
      status: 'draft',
      sources: [],
      targets: [],
    });
    expect(created.headers.location).toBe(`/contexts/${context.id}`);
    expect(etagOf(created)).toMatch(/^"[^"]+"$/);

    const read = await ada.get(`/contexts/${context.id}`);
    expect(read.status).toBe(200);
    expect(read.json()).toEqual(context);
    expect(etagOf(read)).toBe(etagOf(created));
    const listed = (await ada.get('/contexts')).json<{ contexts: Context[] }>().contexts;
    expect(listed.map((c) => c.id)).toContain(context.id);
  });

  test('HEAD tells whether a context changed, by its ETag, without reading it', async () => {
    const { context, etag } = await create(ada, 'Watched');
    const head = await call(`${stack.research.url}/contexts/${context.id}`, {
      method: 'HEAD',
      headers: bearer({ issuer: 'web', audience: 'research', user: 'ada' }),
    });
    expect(head.status).toBe(200);
    expect(etagOf(head)).toBe(etag);
    expect(head.text).toBe('');
  });

  test('a change needs the current ETag: 428 without one, 412 with a stale one, nothing changed', async () => {
    const { context, etag } = await create(ada, 'Contested');
    const path = `/contexts/${context.id}`;
    expectProblem(await ada.patch(path, { name: 'No tag' }), 428, 'request.preconditionRequired');
    expectProblem(
      await ada.patch(path, { name: 'Made up' }, '"0"'),
      412,
      'request.preconditionFailed',
    );

    const renamed = await ada.patch(path, { name: 'Renamed', description: 'Plot 8' }, etag);
    expect(renamed.status).toBe(200);
    expect(renamed.json()).toMatchObject({ name: 'Renamed', description: 'Plot 8' });
    expect(etagOf(renamed)).not.toBe(etag);
    expectProblem(await ada.patch(path, { name: 'Late' }, etag), 412, 'request.preconditionFailed');

    const metadata = { title: 'Soil moisture', creators: [{ name: 'Curie, Marie' }] };
    const described = await ada.patch(path, { metadata }, etagOf(renamed));
    expect(described.status).toBe(200);
    const read = await ada.get(path);
    expect(read.json()).toMatchObject({ name: 'Renamed', metadata });
    expect(etagOf(read)).toBe(etagOf(described));
  });

  test('metadata is kept canonical: ORCID and ROR pasted as URLs, a two-letter language code', async () => {
    const { context, etag } = await create(ada, 'Pasted');
    const pasted = {
      title: 'Ocean temperatures',
      language: 'en',
      creators: [
        {
          name: 'Carberry, Josiah',
          orcid: 'https://orcid.org/0000-0002-1825-0097',
          affiliations: [{ name: 'Brown University', ror: 'https://ror.org/05gq02987' }],
        },
      ],
    };
    const saved = await ada.patch(`/contexts/${context.id}`, { metadata: pasted }, etag);
    expect(saved.status).toBe(200);
    expect((await ada.get(`/contexts/${context.id}`)).json().metadata).toEqual({
      ...pasted,
      language: 'eng',
      creators: [
        {
          name: 'Carberry, Josiah',
          nameType: 'Personal',
          orcid: '0000-0002-1825-0097',
          affiliations: [{ name: 'Brown University', ror: '05gq02987' }],
        },
      ],
    });
    const named = expectProblem(
      await ada.patch(
        `/contexts/${context.id}`,
        { metadata: { language: 'English' } },
        etagOf(saved),
      ),
      400,
      'request.invalid',
    );
    expect(named.errors?.map((e) => e.pointer)).toEqual(['#/metadata/language']);
  });

  test('research checks a request against its contract before research-manager sees it', async () => {
    const { context, etag } = await create(ada, 'Validated');
    const refused = expectProblem(
      await ada.patch(`/contexts/${context.id}`, { name: '', colour: 'red' }, etag),
      400,
      'request.invalid',
    );
    expect(refused.errors?.map((e) => e.pointer)).toEqual(
      expect.arrayContaining(['#/name', '#/colour']),
    );
    expectProblem(await ada.get('/contexts/not-a-uuid'), 400, 'request.invalid');
    expectProblem(await ada.get('/contexts?status=banana'), 400, 'request.invalid');
    expect(etagOf(await ada.get(`/contexts/${context.id}`))).toBe(etag);
  });

  test('lists a page at a time and by status, repeated statuses included', async () => {
    const lister = as('lister');
    const made: Awaited<ReturnType<typeof create>>[] = [];
    for (const name of ['First', 'Second', 'Third']) made.push(await create(lister, name));
    const third = made[2]!;
    await lister.post(
      `/contexts/${third.context.id}/sources`,
      { port: 'local-folder', settings: { folder: '/data' } },
      third.etag,
    );
    const withSource = etagOf(await lister.get(`/contexts/${third.context.id}`));
    expect(
      (await lister.put(`/contexts/${third.context.id}/status`, { status: 'ready' }, withSource))
        .status,
    ).toBe(200);

    const first = await lister.get('/contexts?limit=2');
    const page = first.json<{ contexts: Context[]; nextCursor?: string }>();
    expect(page.contexts.map((c) => c.name)).toEqual(['Third', 'Second']);
    const next = await lister.get(`/contexts?limit=2&cursor=${page.nextCursor!}`);
    expect(next.json<{ contexts: Context[] }>().contexts.map((c) => c.name)).toEqual(['First']);
    expect(next.json()).not.toHaveProperty('nextCursor');

    const names = async (query: string) =>
      (await lister.get(`/contexts?${query}`))
        .json<{ contexts: Context[] }>()
        .contexts.map((c) => c.name);
    expect(await names('status=ready')).toEqual(['Third']);
    expect(await names('status=draft')).toEqual(['Second', 'First']);
    expect(await names('status=draft&status=ready')).toEqual(['Third', 'Second', 'First']);
  });

  test('refused moves come back as research-manager refuses them, naming from and to', async () => {
    const { context, etag } = await create(ada, 'Lifecycle');
    const status = `/contexts/${context.id}/status`;
    const refused = expectProblem(
      await ada.put(status, { status: 'exported' }, etag),
      409,
      'research.transition.refused',
    );
    expect(refused.args).toEqual({ from: 'draft', to: 'exported' });
    // Word for word what research-manager says to the same request.
    const direct = clientOf(
      stack.researchManager.url,
      { service: 'research', user: 'ada' },
      'research-manager',
    );
    const said = expectProblem(
      await direct.put(status, { status: 'exported' }, etag),
      409,
      'research.transition.refused',
    );
    expect(refused).toMatchObject({ type: said.type, title: said.title, detail: said.detail });
    expectProblem(
      await ada.post(`/contexts/${context.id}/restore`, undefined, etag),
      409,
      'research.context.notDeleted',
    );
    const read = await ada.get(`/contexts/${context.id}`);
    expect(read.json()).toMatchObject({ status: 'draft' });
    expect(etagOf(read)).toBe(etag);
  });

  test('deleted, left out of the list, closed to changes, and restored with the tag of its deletion', async () => {
    const { context, etag } = await create(ada, 'Short-lived');
    const path = `/contexts/${context.id}`;
    const deleted = await ada.delete(path, etag);
    expect(deleted.status).toBe(200);
    expect(deleted.json<Context>().deletedAt).toBeDefined();
    const ids = async (query: string) =>
      (await ada.get(`/contexts?limit=100${query}`))
        .json<{ contexts: Context[] }>()
        .contexts.map((c) => c.id);
    expect(await ids('')).not.toContain(context.id);
    expect(await ids('&deleted=only')).toEqual([context.id]);
    expectProblem(
      await ada.patch(path, { name: 'Too late' }, etagOf(deleted)),
      409,
      'research.context.deleted',
    );

    const restored = await ada.post(`${path}/restore`, undefined, etagOf(deleted));
    expect(restored.status, restored.text).toBe(200);
    expect(restored.json()).not.toHaveProperty('deletedAt');
    expect(await ids('')).toContain(context.id);
  });
});

describe('sources and targets', () => {
  test('are added, changed and removed, each change answered with the context’s new ETag', async () => {
    const { context, etag } = await create(ada, 'Wired');
    const path = `/contexts/${context.id}`;
    const source = await ada.post(
      `${path}/sources`,
      { port: 'local-folder', settings: { folder: '/data/run 1' } },
      etag,
    );
    expect(source.status, source.text).toBe(201);
    const sourceId = source.json<{ id: string }>().id;
    const target = await ada.post(
      `${path}/targets`,
      { port: 'local-archive', settings: { mode: 'draft' } },
      etagOf(source),
    );
    expect(target.status, target.text).toBe(201);
    const targetId = target.json<{ id: string }>().id;
    expectProblem(
      await ada.patch(`${path}/targets/${targetId}`, { settings: { mode: 'publish' } }, etag),
      412,
      'request.preconditionFailed',
    );
    const published = await ada.patch(
      `${path}/targets/${targetId}`,
      { settings: { mode: 'publish', folders: 'zip-folders' } },
      etagOf(target),
    );
    expect(published.status, published.text).toBe(200);
    const picked = await ada.patch(
      `${path}/sources/${sourceId}`,
      { settings: { paths: ['/data/a.csv', '/data/run 1/Ünïcödé ✓.txt'] } },
      etagOf(published),
    );
    expect(picked.status, picked.text).toBe(200);

    expect((await ada.get(path)).json()).toMatchObject({
      sources: [
        { id: sourceId, settings: { paths: ['/data/a.csv', '/data/run 1/Ünïcödé ✓.txt'] } },
      ],
      targets: [{ id: targetId, settings: { mode: 'publish', folders: 'zip-folders' } }],
    });

    const removed = await ada.delete(`${path}/sources/${sourceId}`, etagOf(picked));
    expect(removed.status).toBe(204);
    expect(removed.text).toBe('');
    const read = await ada.get(path);
    expect(etagOf(removed)).toBe(etagOf(read));
    expect(read.json<Context>().sources).toEqual([]);
    expectProblem(
      await ada.delete(`${path}/sources/${sourceId}`, etagOf(read)),
      404,
      'research.source.notFound',
    );
  });

  test('settings research-manager would refuse are refused here, pointing at them', async () => {
    const { context, etag } = await create(ada, 'Strict');
    const refused = expectProblem(
      await ada.post(
        `/contexts/${context.id}/targets`,
        { port: 'zenodo', settings: { mode: 'new-version' } },
        etag,
      ),
      400,
      'request.invalid',
    );
    expect(refused.errors?.map((e) => e.pointer)).toContain('#/settings/recordId');
  });
});

describe('export runs', () => {
  test('are read with their totals and files, as the exporter left them', async () => {
    const { context, etag } = await create(ada, 'Exported');
    const path = `/contexts/${context.id}`;
    const source = await ada.post(
      `${path}/sources`,
      { port: 'local-folder', settings: { folder: '/data' } },
      etag,
    );
    const target = await ada.post(
      `${path}/targets`,
      { port: 'local-archive', settings: { mode: 'draft' } },
      etagOf(source),
    );
    const ready = await ada.put(`${path}/status`, { status: 'ready' }, etagOf(target));
    expect(ready.status, ready.text).toBe(200);

    // Runs are the exporter's to start and fill; here the test plays the exporter.
    const exporter = clientOf(
      stack.researchManager.url,
      { service: 'exporter', user: 'ada' },
      'research-manager',
    );
    const started = await exporter.post(`${path}/runs`, {}, etagOf(ready));
    expect(started.status, started.text).toBe(201);
    const runId = started.json<{ id: string }>().id;
    const ids = {
      sourceId: source.json<{ id: string }>().id,
      targetId: target.json<{ id: string }>().id,
    };
    const registered = await exporter.post(`${path}/runs/${runId}/files`, {
      files: [
        { ...ids, path: '/data/a.csv', size: 8 },
        { ...ids, path: '/data/run 1/100% done#?.csv', size: 31 },
      ],
    });
    expect(registered.status, registered.text).toBe(200);
    const [first] = registered.json<{ files: { id: string }[] }>().files;
    await exporter.patch(`${path}/runs/${runId}/files/${first!.id}`, {
      state: 'done',
      bytesDone: 8,
    });

    const runs = await ada.get(`${path}/runs`);
    expect(runs.json<{ runs: { id: string }[] }>().runs.map((r) => r.id)).toEqual([runId]);
    const run = await ada.get(`${path}/runs/${runId}`);
    expect(run.status).toBe(200);
    expect(etagOf(run)).toMatch(/^"[^"]+"$/);
    expect(run.json()).toMatchObject({
      id: runId,
      state: 'running',
      totals: { files: 2, filesDone: 1, bytes: 39, bytesDone: 8 },
    });
    const pending = await ada.get(`${path}/runs/${runId}/files?state=pending&limit=10`);
    expect(pending.json<{ files: { path: string }[] }>().files.map((f) => f.path)).toEqual([
      '/data/run 1/100% done#?.csv',
    ]);
    const both = await ada.get(`${path}/runs/${runId}/files?state=pending&state=done`);
    expect(both.json<{ files: unknown[] }>().files).toHaveLength(2);
    expect((await ada.get(`/contexts/${context.id}`)).json()).toMatchObject({
      status: 'exporting',
    });
    expectProblem(
      await ada.delete(path, etagOf(await ada.get(path))),
      409,
      'research.context.exporting',
    );
    expectProblem(
      await ada.get(`${path}/runs/${crypto.randomUUID()}`),
      404,
      'research.run.notFound',
    );
  });
});

describe('who may ask', () => {
  test('a user sees only their own contexts, in their own tenant', async () => {
    const { context, etag } = await create(ada, 'Private');
    const path = `/contexts/${context.id}`;
    for (const other of [as('bob'), as('ada', 'uni-b')]) {
      expectProblem(await other.get(path), 404, 'research.context.notFound');
      expectProblem(
        await other.patch(path, { name: 'Mine' }, etag),
        404,
        'research.context.notFound',
      );
      expectProblem(await other.delete(path, etag), 404, 'research.context.notFound');
      expectProblem(await other.get(`${path}/runs`), 404, 'research.context.notFound');
      const theirs = (await other.get('/contexts?deleted=include')).json<{ contexts: Context[] }>();
      expect(theirs.contexts.map((c) => c.id)).not.toContain(context.id);
    }
    expect((await ada.get(path)).json()).toMatchObject({ name: 'Private' });
  });

  test('only web, for a signed-in user', async () => {
    const anonymous = await call(`${stack.research.url}/contexts`);
    expectProblem(anonymous, 401, 'auth.unauthorized');
    const exporter = clientOf(stack.research.url, { service: 'exporter', user: 'ada' });
    expectProblem(await exporter.get('/contexts'), 403, 'auth.forbidden');
    const nobody = clientOf(stack.research.url, {});
    expectProblem(await nobody.get('/contexts'), 403, 'auth.noUser');
    expectProblem(await nobody.post('/contexts', { name: 'x' }), 403, 'auth.noUser');
    expectProblem(await nobody.get('/storage/local-folder/folder?path=/'), 403, 'auth.noUser');
  });
});

describe('readiness', () => {
  test('ready while research-manager answers, not ready when it does not', async () => {
    const ready = await call(`${stack.research.url}/health/ready`);
    expect(ready.status).toBe(200);
    expect(ready.json()).toEqual({ status: 'ready', checks: { 'research-manager': 'ok' } });

    const orphan = await startTestService(definition, {
      RDS_RESEARCH_MANAGER_URL: 'http://127.0.0.1:9',
      RDS_TOKEN_STORAGE_URL: stack.tokenStorage.url,
    });
    try {
      const answer = await call(`${orphan.url}/health/ready`);
      expect(answer.status).toBe(503);
      expect(answer.json()).toEqual({
        status: 'not-ready',
        checks: { 'research-manager': 'failing' },
      });
    } finally {
      await orphan.close();
    }
  });
});
