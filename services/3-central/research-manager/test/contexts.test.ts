import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { bearer, call, type Answer } from '@rds/kit/testing';
import {
  BACKENDS,
  clientOf,
  etagOf,
  expectProblem,
  pointersOf,
  startResearchManager,
  type Client,
  type ResearchManager,
} from './harness.ts';

interface Context {
  id: string;
  name: string;
  description: string;
  status: string;
  deletedAt?: string;
}
interface Page {
  contexts: Context[];
  nextCursor?: string;
}

describe.each(BACKENDS)('research contexts on %s', (backend) => {
  let manager: ResearchManager;
  let research: Client;
  const as = (user: string, service = 'research', tenant?: string) =>
    clientOf(manager, { service, user, tenant });

  const create = async (client: Client, name: string, description?: string) => {
    const answer = await client.post('/contexts', { name, description });
    expect(answer.status, answer.text).toBe(201);
    return { context: answer.json<Context>(), etag: etagOf(answer) };
  };
  /** Every page of a list, followed by its cursors. */
  const everyPage = async (client: Client, query: string, limit: number) => {
    const pages: Context[][] = [];
    let cursor: string | undefined;
    do {
      const answer = await client.get(
        `/contexts?limit=${limit}${query}${cursor ? `&cursor=${cursor}` : ''}`,
      );
      expect(answer.status, answer.text).toBe(200);
      const page = answer.json<Page>();
      pages.push(page.contexts);
      cursor = page.nextCursor;
    } while (cursor);
    return pages;
  };

  beforeAll(async () => {
    manager = await startResearchManager(backend);
    research = as('ada');
  });
  afterAll(() => manager.dispose());

  test('research creates a draft, answered with its ETag and Location, and reads it back', async () => {
    const created = await research.post('/contexts', {
      name: 'Soil samples',
      description: 'Plot 7',
    });
    expect(created.status).toBe(201);
    const context = created.json<Context>();
    expect(context).toMatchObject({
      name: 'Soil samples',
      description: 'Plot 7',
      status: 'draft',
      sources: [],
      targets: [],
    });
    expect(context.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(created.headers.location).toBe(`/contexts/${context.id}`);
    expect(etagOf(created)).toMatch(/^"[^"]+"$/);
    const read = await research.get(`/contexts/${context.id}`);
    expect(read.json()).toEqual(context);
    expect(etagOf(read)).toBe(etagOf(created));
    const renamed = await research.patch(
      `/contexts/${context.id}`,
      { name: 'Soil samples 2024' },
      etagOf(read),
    );
    expect(renamed.status).toBe(200);
    expect(renamed.json()).toMatchObject({ name: 'Soil samples 2024', description: 'Plot 7' });
    expect(etagOf(renamed)).not.toBe(etagOf(read));
  });

  test('metadata is kept as saved, replaced as a whole, and refused with pointers when malformed', async () => {
    const { context, etag } = await create(research, 'Described');
    expect(context).not.toHaveProperty('metadata');
    const path = `/contexts/${context.id}`;
    const metadata = {
      title: 'Soil moisture, plot 7',
      creators: [{ name: 'Curie, Marie', orcid: '0000-0002-1825-0097' }],
      keywords: ['soil'],
    };
    const saved = await research.patch(path, { metadata }, etag);
    expect(saved.status).toBe(200);
    expect(saved.json()).toMatchObject({ name: 'Described', metadata });
    expect((await research.get(path)).json()).toMatchObject({ metadata });

    const replaced = await research.patch(
      path,
      { metadata: { title: 'Only a title' } },
      etagOf(saved),
    );
    expect(replaced.json<{ metadata: unknown }>().metadata).toEqual({ title: 'Only a title' });

    const refused = expectProblem(
      await research.patch(path, { metadata: { resourceType: 'banana' } }, etagOf(replaced)),
      400,
      'request.invalid',
    );
    expect(pointersOf(refused)).toContain('#/metadata/resourceType');
    expect((await research.get(path)).json<{ metadata: unknown }>().metadata).toEqual({
      title: 'Only a title',
    });
  });

  test('status calls move draft ⇄ ready; other moves are 409 naming from and to, changing nothing', async () => {
    const { context, etag } = await create(research, 'Lifecycle');
    const path = `/contexts/${context.id}/status`;
    const refusals: [string, string][] = [
      ['exported', 'cannot go'],
      ['failed', 'cannot go'],
      ['draft', 'cannot go'],
      ['exporting', 'cannot go'],
    ];
    for (const [status, detail] of refusals) {
      const problem = expectProblem(
        await research.put(path, { status }, etag),
        409,
        'research.transition.refused',
      );
      expect(problem.args).toEqual({ from: 'draft', to: status });
      expect(problem).toMatchObject({ detail: expect.stringContaining(detail) });
    }
    expect(etagOf(await research.get(`/contexts/${context.id}`))).toBe(etag);

    const metadata = as('ada', 'metadata');
    const ready = await metadata.put(path, { status: 'ready' }, etag);
    expect(ready.json()).toMatchObject({ status: 'ready' });
    const byRun = expectProblem(
      await research.put(path, { status: 'exporting' }, etagOf(ready)),
      409,
      'research.transition.refused',
    );
    expect(byRun).toMatchObject({
      args: { from: 'ready', to: 'exporting' },
      detail: expect.stringContaining('only as an export run starts'),
    });
    const draft = await research.put(path, { status: 'draft' }, etagOf(ready));
    expect(draft.json()).toMatchObject({ status: 'draft' });
  });

  test('pages of 10 walk 25 contexts newest first without duplicates or gaps; status filters', async () => {
    const pager = as('pager');
    const made: { context: Context; etag: string }[] = [];
    for (let i = 0; i < 25; i++) made.push(await create(pager, `context ${i}`));
    const readyOnes = made.filter((_, i) => i % 3 === 0);
    for (const { context, etag } of readyOnes) {
      const ready = await pager.put(`/contexts/${context.id}/status`, { status: 'ready' }, etag);
      expect(ready.status).toBe(200);
    }
    const newestFirst = made.map(({ context }) => context.id).reverse();

    const pages = await everyPage(pager, '', 10);
    expect(pages.map((page) => page.length)).toEqual([10, 10, 5]);
    expect(pages.flat().map((c) => c.id)).toEqual(newestFirst);

    const ready = (await everyPage(pager, '&status=ready', 4)).flat();
    expect(ready.map((c) => c.id)).toEqual(readyOnes.map(({ context }) => context.id).reverse());
    expect(ready.every((c) => c.status === 'ready')).toBe(true);
    const either = (await everyPage(pager, '&status=draft&status=ready', 100)).flat();
    expect(either.map((c) => c.id)).toEqual(newestFirst);
    expect((await everyPage(pager, '&status=exported', 10)).flat()).toEqual([]);
  });

  test('of two writers holding one ETag, one wins and the other gets 412', async () => {
    const { context, etag } = await create(research, 'Contested');
    const [first, second] = await Promise.all([
      research.patch(`/contexts/${context.id}`, { name: 'Mine' }, etag),
      research.patch(`/contexts/${context.id}`, { name: 'Yours' }, etag),
    ]);
    expect([first!.status, second!.status].sort()).toEqual([200, 412]);
    const [winner, loser] = first!.status === 200 ? [first!, second!] : [second!, first!];
    expectProblem(loser, 412, 'request.preconditionFailed');
    const now = await research.get(`/contexts/${context.id}`);
    expect(now.json<Context>().name).toBe(winner.json<Context>().name);
    expect(etagOf(now)).toBe(etagOf(winner));

    // Two tabs adding a source each: the second must read the first's before adding its own.
    const adds = await Promise.all(
      ['/a', '/b'].map((folder) =>
        research.post(
          `/contexts/${context.id}/sources`,
          { port: 'owncloud', settings: { folder } },
          etagOf(now),
        ),
      ),
    );
    expect(adds.map((a) => a.status).sort()).toEqual([201, 412]);
    const sources = (await research.get(`/contexts/${context.id}`)).json<{ sources: unknown[] }>()
      .sources;
    expect(sources).toHaveLength(1);
  });

  test('writes without If-Match are 428; `*` matches any version, a weak or old tag none', async () => {
    const { context, etag } = await create(research, 'Unconditional');
    const path = `/contexts/${context.id}`;
    for (const answer of [
      await research.patch(path, { name: 'x' }),
      await research.delete(path),
      await research.put(`${path}/status`, { status: 'ready' }),
      await research.post(`${path}/restore`),
      await research.post(`${path}/sources`, { port: 'owncloud', settings: { folder: '/' } }),
      await research.post(`${path}/targets`, { port: 'zenodo', settings: { mode: 'draft' } }),
    ]) {
      expectProblem(answer, 428, 'request.preconditionRequired');
    }
    expectProblem(
      await research.patch(path, { name: 'x' }, `W/${etag}`),
      412,
      'request.preconditionFailed',
    );
    expectProblem(
      await research.patch(path, { name: 'x' }, '"0"'),
      412,
      'request.preconditionFailed',
    );
    const read = await research.get(path);
    expect(read.json<Context>().name).toBe('Unconditional');
    expect(etagOf(read)).toBe(etag);
    const forced = await research.patch(path, { name: 'Forced' }, '*');
    expect(forced.status).toBe(200);
    const listed = await research.patch(path, { name: 'Listed' }, `"0", ${etagOf(forced)}`);
    expect(listed.status).toBe(200);
  });

  test('a deleted context leaves the lists, stays readable, takes no changes, and is restored as it was', async () => {
    const trash = as('trash');
    const keep = await create(trash, 'Keep');
    const { context, etag } = await create(trash, 'Bin me', 'with a description');
    const path = `/contexts/${context.id}`;
    const deleted = await trash.delete(path, etag);
    expect(deleted.status).toBe(200);
    expect(deleted.json<Context>().deletedAt).toBeDefined();

    const ids = async (query: string) =>
      (await trash.get(`/contexts${query}`)).json<Page>().contexts.map((c) => c.id);
    expect(await ids('')).toEqual([keep.context.id]);
    expect(await ids('?deleted=include')).toEqual([context.id, keep.context.id]);
    expect(await ids('?deleted=only')).toEqual([context.id]);
    const read = await trash.get(path);
    expect(read.status).toBe(200);
    expect(etagOf(read)).toBe(etagOf(deleted));

    for (const answer of [
      await trash.patch(path, { name: 'x' }, etagOf(deleted)),
      await trash.put(`${path}/status`, { status: 'ready' }, etagOf(deleted)),
      await trash.delete(path, etagOf(deleted)),
      await trash.post(
        `${path}/sources`,
        { port: 'p', settings: { folder: '/' } },
        etagOf(deleted),
      ),
    ]) {
      expectProblem(answer, 409, 'research.context.deleted');
    }
    expectProblem(await trash.post(`${path}/restore`, {}, etag), 412, 'request.preconditionFailed');

    const restored = await trash.post(`${path}/restore`, {}, etagOf(deleted));
    expect(restored.status).toBe(200);
    const back = restored.json<Context>();
    expect(back.deletedAt).toBeUndefined();
    expect(back).toMatchObject({
      name: 'Bin me',
      description: 'with a description',
      status: 'draft',
    });
    expect(await ids('')).toEqual([context.id, keep.context.id]);
    expectProblem(
      await trash.post(`${path}/restore`, {}, etagOf(restored)),
      409,
      'research.context.notDeleted',
    );
  });

  describe('bad input is 400 problem+json pointing at the fault, and changes nothing', () => {
    const bodies: [string, unknown, string][] = [
      ['no name', { description: 'x' }, '#/name'],
      ['an empty name', { name: '' }, '#/name'],
      ['a blank name', { name: '   ' }, '#/name'],
      ['a name that is a number', { name: 42 }, '#/name'],
      ['a name too long', { name: 'n'.repeat(201) }, '#/name'],
      ['an unknown field', { name: 'x', colour: 'red' }, '#/colour'],
      ['a description too long', { name: 'x', description: 'd'.repeat(10001) }, '#/description'],
    ];
    test.each(bodies)('create with %s', async (_what, body, pointer) => {
      const before = (await research.get('/contexts?limit=100&deleted=include')).text;
      const answer = await research.post('/contexts', body);
      const problem = expectProblem(answer, 400, 'request.invalid');
      expect(pointersOf(problem)).toContain(pointer);
      expect((await research.get('/contexts?limit=100&deleted=include')).text).toBe(before);
    });

    test('changes, statuses, queries and ids', async () => {
      const { context, etag } = await create(research, 'Validated');
      const path = `/contexts/${context.id}`;
      const cases: [Promise<Answer>, string][] = [
        [research.patch(path, {}, etag), '#'],
        [research.patch(path, { name: null }, etag), '#/name'],
        [research.put(`${path}/status`, { status: 'published' }, etag), '#/status'],
        [research.put(`${path}/status`, {}, etag), '#/status'],
        [research.get('/contexts?limit=0'), '#/query/limit'],
        [research.get('/contexts?limit=101'), '#/query/limit'],
        [research.get('/contexts?limit=ten'), '#/query/limit'],
        [research.get('/contexts?status=lost'), '#/query/status/0'],
        [research.get('/contexts?deleted=maybe'), '#/query/deleted'],
        [research.get('/contexts?cursor=not-a-cursor'), '#/query/cursor'],
        [
          research.get(`/contexts?cursor=${Buffer.from('after:1;drop').toString('base64url')}`),
          '#/query/cursor',
        ],
        [research.get('/contexts/42'), '#/path/contextId'],
      ];
      for (const [pending, pointer] of cases) {
        const problem = expectProblem(await pending, 400, 'request.invalid');
        expect(pointersOf(problem), pointer).toContain(pointer);
      }
      const malformed = await call(`${manager.url}${path}`, {
        method: 'PATCH',
        headers: {
          ...bearer({ issuer: 'research', audience: 'research-manager', user: 'ada' }),
          'content-type': 'application/json',
          'if-match': etag,
        },
        body: '{"name": ',
      });
      expectProblem(malformed, 400, 'request.malformed');
      const read = await research.get(path);
      expect(etagOf(read)).toBe(etag);
      expect(read.json<Context>().name).toBe('Validated');
    });
  });

  test('another user, or the same user in another tenant, finds nothing of ada’s: 404 everywhere', async () => {
    const { context, etag } = await create(research, 'Private');
    const path = `/contexts/${context.id}`;
    for (const other of [as('bob'), as('ada', 'research', 'uni-b')]) {
      for (const answer of [
        await other.get(path),
        await other.patch(path, { name: 'stolen' }, etag),
        await other.delete(path, etag),
        await other.put(`${path}/status`, { status: 'ready' }, etag),
        await other.post(`${path}/restore`, {}, etag),
        await other.post(`${path}/sources`, { port: 'p', settings: { folder: '/' } }, etag),
        await other.get(`${path}/runs`),
      ]) {
        expectProblem(answer, 404, 'research.context.notFound');
      }
      const lists = await other.get('/contexts?deleted=include');
      expect(lists.json<Page>().contexts.map((c) => c.id)).not.toContain(context.id);
    }
    const mine = await research.get(path);
    expect(mine.json<Context>().name).toBe('Private');
    expect(etagOf(mine)).toBe(etag);
  });

  test('no token is 401; a call for no user is 403; callers the contract does not name are 403', async () => {
    const { context } = await create(research, 'Guarded');
    for (const [method, path] of [
      ['GET', '/contexts'],
      ['POST', '/contexts'],
      ['GET', `/contexts/${context.id}`],
      ['PATCH', `/contexts/${context.id}`],
    ] as const) {
      const answer = await call(`${manager.url}${path}`, {
        method,
        ...(method === 'GET' ? {} : { json: { name: 'x' } }),
      });
      expectProblem(answer, 401, 'auth.unauthorized');
    }
    const nobody = clientOf(manager, { service: 'research' });
    expectProblem(await nobody.get('/contexts'), 403, 'auth.noUser');
    expectProblem(await nobody.post('/contexts', { name: 'x' }), 403, 'auth.noUser');

    expectProblem(
      await as('ada', 'exporter').post('/contexts', { name: 'x' }),
      403,
      'auth.forbidden',
    );
    expectProblem(await as('ada', 'metadata').get('/contexts'), 403, 'auth.forbidden');
    expectProblem(await as('ada', 'zenodo').get(`/contexts/${context.id}`), 403, 'auth.forbidden');
    for (const reader of ['metadata', 'exporter', 'port-service']) {
      expect((await as('ada', reader).get(`/contexts/${context.id}`)).status, reader).toBe(200);
    }
  });
});
