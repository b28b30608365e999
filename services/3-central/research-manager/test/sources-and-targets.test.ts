import { afterAll, beforeAll, describe, expect, test } from 'vitest';
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

interface Part {
  id: string;
  port: string;
  settings: Record<string, unknown>;
}
interface Context {
  id: string;
  sources: Part[];
  targets: Part[];
}

describe.each(BACKENDS)('sources and targets on %s', (backend) => {
  let manager: ResearchManager;
  let research: Client;

  const newContext = async (client: Client = research) => {
    const created = await client.post('/contexts', { name: 'With parts' });
    return { id: created.json<Context>().id, etag: etagOf(created) };
  };

  beforeAll(async () => {
    manager = await startResearchManager(backend);
    research = clientOf(manager, { service: 'research', user: 'ada' });
  });
  afterAll(() => manager.dispose());

  test('are added, changed and removed by their own ids; every change gives the context a new ETag', async () => {
    const { id, etag: first } = await newContext();
    let etag = first;
    const path = `/contexts/${id}`;
    const step = async (answer: Awaited<ReturnType<Client['get']>>, status: number) => {
      expect(answer.status, answer.text).toBe(status);
      expect(etagOf(answer)).not.toBe(etag);
      etag = etagOf(answer);
      expect(etagOf(await research.get(path))).toBe(etag);
      return answer.status === 204 ? undefined : answer.json<Part>();
    };

    const folder = await step(
      await research.post(
        `${path}/sources`,
        { port: 'owncloud', settings: { folder: '/data/run 1' } },
        etag,
      ),
      201,
    );
    const picked = await step(
      await research.post(
        `${path}/sources`,
        { port: 's3', settings: { paths: ['/bucket/a.csv', '/bucket/b.csv'] } },
        etag,
      ),
      201,
    );
    const publish = await step(
      await research.post(
        `${path}/targets`,
        { port: 'port-zenodo', settings: { mode: 'publish', folders: 'zip-folders' } },
        etag,
      ),
      201,
    );
    const newVersion = await step(
      await research.post(
        `${path}/targets`,
        { port: 'invenio-rdm', settings: { mode: 'new-version', recordId: 'abc12-xyz34' } },
        etag,
      ),
      201,
    );
    expect(new Set([folder!.id, picked!.id, publish!.id, newVersion!.id]).size).toBe(4);

    const changedSource = await step(
      await research.patch(
        `${path}/sources/${folder!.id}`,
        { settings: { paths: ['/data/x'] } },
        etag,
      ),
      200,
    );
    expect(changedSource).toMatchObject({
      id: folder!.id,
      port: 'owncloud',
      settings: { paths: ['/data/x'] },
    });
    const changedTarget = await step(
      await research.patch(`${path}/targets/${publish!.id}`, { port: 'port-osf' }, etag),
      200,
    );
    expect(changedTarget).toMatchObject({
      port: 'port-osf',
      settings: { mode: 'publish', folders: 'zip-folders' },
    });
    await step(await research.delete(`${path}/sources/${picked!.id}`, etag), 204);
    await step(await research.delete(`${path}/targets/${newVersion!.id}`, etag), 204);

    const context = (await research.get(path)).json<Context>();
    expect(context.sources.map((s) => [s.id, s.settings])).toEqual([
      [folder!.id, { paths: ['/data/x'] }],
    ]);
    expect(context.targets.map((t) => [t.id, t.port])).toEqual([[publish!.id, 'port-osf']]);

    for (const answer of [
      await research.patch(`${path}/sources/${picked!.id}`, { port: 'x' }, etag),
      await research.delete(`${path}/sources/${picked!.id}`, etag),
    ]) {
      expectProblem(answer, 404, 'research.source.notFound');
    }
    expectProblem(
      await research.delete(`${path}/targets/${newVersion!.id}`, etag),
      404,
      'research.target.notFound',
    );
    expect(etagOf(await research.get(path))).toBe(etag);
  });

  test('a source or target is found only through its own context', async () => {
    const one = await newContext();
    const other = await newContext();
    const added = await research.post(
      `/contexts/${one.id}/targets`,
      { port: 'port-zenodo', settings: { mode: 'draft' } },
      one.etag,
    );
    const targetId = added.json<Part>().id;
    expectProblem(
      await research.patch(`/contexts/${other.id}/targets/${targetId}`, { port: 'x' }, other.etag),
      404,
      'research.target.notFound',
    );
    const bob = clientOf(manager, { service: 'research', user: 'bob' });
    expectProblem(
      await bob.delete(`/contexts/${one.id}/targets/${targetId}`, etagOf(added)),
      404,
      'research.context.notFound',
    );
    expect((await research.get(`/contexts/${one.id}`)).json<Context>().targets).toHaveLength(1);
  });

  test('port-service manages them too; metadata and the exporter only read them', async () => {
    const { id, etag } = await newContext();
    const portService = clientOf(manager, { service: 'port-service', user: 'ada' });
    const added = await portService.post(
      `/contexts/${id}/sources`,
      { port: 'owncloud', settings: { folder: '/' } },
      etag,
    );
    expect(added.status).toBe(201);
    for (const service of ['metadata', 'exporter']) {
      const reader = clientOf(manager, { service, user: 'ada' });
      expectProblem(
        await reader.post(
          `/contexts/${id}/targets`,
          { port: 'p', settings: { mode: 'draft' } },
          etagOf(added),
        ),
        403,
        'auth.forbidden',
      );
    }
  });

  describe('bad settings are 400 with pointers, and change nothing', () => {
    const cases: [string, 'sources' | 'targets', unknown, string][] = [
      ['a source without settings', 'sources', { port: 'owncloud' }, '#/settings'],
      [
        'a relative folder',
        'sources',
        { port: 'owncloud', settings: { folder: 'data' } },
        '#/settings/folder',
      ],
      [
        'folder and paths at once',
        'sources',
        { port: 'owncloud', settings: { folder: '/', paths: ['/a'] } },
        '#/settings',
      ],
      ['no paths', 'sources', { port: 'owncloud', settings: { paths: [] } }, '#/settings/paths'],
      [
        'a port name with capitals',
        'sources',
        { port: 'OwnCloud', settings: { folder: '/' } },
        '#/port',
      ],
      ['no mode', 'targets', { port: 'zenodo', settings: {} }, '#/settings/mode'],
      [
        'an unknown mode',
        'targets',
        { port: 'zenodo', settings: { mode: 'sideways' } },
        '#/settings/mode',
      ],
      [
        'a new version of no record',
        'targets',
        { port: 'zenodo', settings: { mode: 'new-version' } },
        '#/settings/recordId',
      ],
      [
        'unknown folder handling',
        'targets',
        { port: 'zenodo', settings: { mode: 'draft', folders: 'flatten' } },
        '#/settings/folders',
      ],
      [
        'a record id with a slash',
        'targets',
        { port: 'zenodo', settings: { mode: 'draft', recordId: 'a/b' } },
        '#/settings/recordId',
      ],
      [
        'what the target reported',
        'targets',
        { port: 'zenodo', settings: { mode: 'draft' }, reported: { doi: '10.1/x' } },
        '#/reported',
      ],
    ];
    test.each(cases)('%s', async (_what, kind, body, pointer) => {
      const { id, etag } = await newContext();
      const answer = await research.post(`/contexts/${id}/${kind}`, body, etag);
      const problem = expectProblem(answer, 400, 'request.invalid');
      expect(pointersOf(problem)).toContain(pointer);
      const context = await research.get(`/contexts/${id}`);
      expect(etagOf(context)).toBe(etag);
      expect(context.json<Context>()[kind]).toEqual([]);
    });
  });
});
