import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  BACKENDS,
  clientOf,
  etagOf,
  expectProblem,
  pointersOf,
  readyContext,
  startResearchManager,
  type Client,
  type Made,
  type ResearchManager,
} from './harness.ts';

interface RunFile {
  id: string;
  targetId: string;
  path: string;
  state: string;
  size?: number;
  bytesDone: number;
  checksum?: string;
  reason?: string;
}
interface Run {
  id: string;
  state: string;
  reason?: string;
  endedAt?: string;
  sources: { id: string }[];
  targets: { targetId: string; state: string; reason?: string; reported?: object }[];
  totals: Record<string, number>;
  currentFiles: RunFile[];
}

describe.each(BACKENDS)('export runs on %s', (backend) => {
  let manager: ResearchManager;
  let research: Client;
  let exporter: Client;

  const contextOf = async (id: string) => {
    const answer = await research.get(`/contexts/${id}`);
    return { status: answer.json<{ status: string }>().status, etag: etagOf(answer), answer };
  };
  /** Starts a run of a context, read afresh (its ETag changes as runs end). */
  const start = async (id: string, body: object = {}) => {
    const answer = await exporter.post(`/contexts/${id}/runs`, body, (await contextOf(id)).etag);
    expect(answer.status, answer.text).toBe(201);
    return answer.json<Run>();
  };
  const runPath = (made: Made, run: Run) => `/contexts/${made.id}/runs/${run.id}`;
  const register = async (made: Made, run: Run, paths: string[], targetId = made.targetIds[0]!) => {
    const answer = await exporter.post(`${runPath(made, run)}/files`, {
      files: paths.map((path, i) => ({ targetId, sourceId: made.sourceId, path, size: 100 + i })),
    });
    expect(answer.status, answer.text).toBe(200);
    return answer.json<{ files: RunFile[] }>().files;
  };
  const setTarget = async (made: Made, run: Run, targetId: string, changes: object) => {
    const answer = await exporter.patch(`${runPath(made, run)}/targets/${targetId}`, changes);
    expect(answer.status, answer.text).toBe(200);
  };
  const end = async (made: Made, run: Run, body: object = {}) => {
    const answer = await exporter.post(`${runPath(made, run)}/end`, body);
    expect(answer.status, answer.text).toBe(200);
    return answer.json<Run>();
  };
  const allFiles = async (made: Made, run: Run, limit: number) => {
    const files: RunFile[] = [];
    let cursor: string | undefined;
    do {
      const answer = await research.get(
        `${runPath(made, run)}/files?limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`,
      );
      expect(answer.status, answer.text).toBe(200);
      const page = answer.json<{ files: RunFile[]; nextCursor?: string }>();
      files.push(...page.files);
      cursor = page.nextCursor;
    } while (cursor);
    return files;
  };

  beforeAll(async () => {
    manager = await startResearchManager(backend);
    research = clientOf(manager, { service: 'research', user: 'ada' });
    exporter = clientOf(manager, { service: 'exporter', user: 'ada' });
  });
  afterAll(() => manager.dispose());

  test('the lifecycle: ready → exporting → failed → exporting → exported → exporting → exported → ready → draft', async () => {
    const made = await readyContext(research, 'Lifecycle', 1);
    const [target] = made.targetIds;
    const expectStatus = async (status: string) =>
      expect((await contextOf(made.id)).status).toBe(status);

    const first = await start(made.id);
    await expectStatus('exporting');
    await setTarget(made, first, target!, { state: 'failed', reason: 'Zenodo answered 503' });
    expect(await end(made, first)).toMatchObject({
      state: 'failed',
      reason: 'Not every target was exported.',
      targets: [expect.objectContaining({ state: 'failed', reason: 'Zenodo answered 503' })],
    });
    await expectStatus('failed');

    const retry = await start(made.id);
    await expectStatus('exporting');
    await setTarget(made, retry, target!, {
      state: 'done',
      reported: { recordId: '1234', doi: '10.5281/zenodo.1234', version: '1' },
    });
    expect((await end(made, retry)).state).toBe('done');
    await expectStatus('exported');

    const newVersion = await start(made.id);
    await setTarget(made, newVersion, target!, { state: 'done' });
    await end(made, newVersion);
    await expectStatus('exported');

    let { etag } = await contextOf(made.id);
    for (const status of ['ready', 'draft']) {
      const moved = await research.put(`/contexts/${made.id}/status`, { status }, etag);
      expect(moved.status, moved.text).toBe(200);
      etag = etagOf(moved);
    }
    const runs = (await research.get(`/contexts/${made.id}/runs`)).json<{ runs: Run[] }>().runs;
    expect(runs.map((r) => [r.id, r.state])).toEqual([
      [newVersion.id, 'done'],
      [retry.id, 'done'],
      [first.id, 'failed'],
    ]);
  });

  test('a run starts only from ready, failed or exported, needs a source and a target, and runs alone', async () => {
    const created = await research.post('/contexts', { name: 'Empty' });
    const empty = created.json<{ id: string }>().id;
    expectProblem(
      await exporter.post(`/contexts/${empty}/runs`, {}, etagOf(created)),
      409,
      'research.transition.refused',
    );
    const ready = await research.put(
      `/contexts/${empty}/status`,
      { status: 'ready' },
      etagOf(created),
    );
    const incomplete = expectProblem(
      await exporter.post(`/contexts/${empty}/runs`, {}, etagOf(ready)),
      409,
      'research.context.incomplete',
    );
    expect(incomplete.args).toEqual({ missing: ['sources', 'targets'] });
    expect((await contextOf(empty)).status).toBe('ready');
    expectProblem(
      await exporter.post(`/contexts/${empty}/runs`, {}),
      428,
      'request.preconditionRequired',
    );

    const made = await readyContext(research, 'Busy', 2);
    const unknown = await exporter.post(
      `/contexts/${made.id}/runs`,
      { targetIds: [made.targetIds[1], crypto.randomUUID()] },
      made.etag,
    );
    const problem = expectProblem(unknown, 422, 'research.reference.unknown');
    expect(pointersOf(problem)).toEqual(['#/targetIds/1']);

    const run = await start(made.id, { targetIds: [made.targetIds[1]] });
    expect(run.targets.map((t) => t.targetId)).toEqual([made.targetIds[1]]);
    const { etag } = await contextOf(made.id);
    const again = expectProblem(
      await exporter.post(`/contexts/${made.id}/runs`, {}, etag),
      409,
      'research.transition.refused',
    );
    expect(again.args).toEqual({ from: 'exporting', to: 'exporting' });
    // While it exports, what it exports stays put; a new name is harmless.
    for (const answer of [
      await research.post(
        `/contexts/${made.id}/sources`,
        { port: 'p', settings: { folder: '/' } },
        etag,
      ),
      await research.delete(`/contexts/${made.id}/targets/${made.targetIds[0]}`, etag),
      await research.delete(`/contexts/${made.id}`, etag),
    ]) {
      expectProblem(answer, 409, 'research.context.exporting');
    }
    expectProblem(
      await research.put(`/contexts/${made.id}/status`, { status: 'failed' }, etag),
      409,
      'research.transition.refused',
    );
    expect(
      (await research.patch(`/contexts/${made.id}`, { name: 'Busy, renamed' }, etag)).status,
    ).toBe(200);
  });

  test('three writers updating 20 files each side by side: every update is kept and the totals add up', async () => {
    const made = await readyContext(research, 'Concurrent', 1);
    const run = await start(made.id);
    const paths = Array.from({ length: 60 }, (_, i) => `/data/folder ${i % 4}/file-${i}.csv`);
    const files = await register(made, run, paths);
    expect(files.map((f) => f.path)).toEqual(paths);
    const before = etagOf(await research.get(runPath(made, run)));

    const writers = [0, 1, 2].map((writer) => files.filter((_, i) => i % 3 === writer));
    const failing = new Set([files[7]!.id, files[41]!.id]);
    const writerIds = new Map<string, number>();
    await Promise.all(
      writers.map(async (own, writer) => {
        for (const file of own) {
          writerIds.set(file.id, writer);
          const path = `${runPath(made, run)}/files/${file.id}`;
          const half = await exporter.patch(path, {
            state: 'transferring',
            bytesDone: Math.floor(file.size! / 2),
          });
          expect(half.status, half.text).toBe(200);
          const last = failing.has(file.id)
            ? { state: 'failed', reason: `writer ${writer}: connection reset` }
            : { state: 'done', bytesDone: file.size, checksum: `md5:${writer}${'0'.repeat(31)}` };
          const answer = await exporter.patch(path, last);
          expect(answer.status, answer.text).toBe(200);
        }
      }),
    );

    const final = await allFiles(made, run, 25);
    expect(final.map((f) => f.id)).toEqual(files.map((f) => f.id));
    for (const file of final) {
      const writer = writerIds.get(file.id)!;
      if (failing.has(file.id)) {
        expect(file).toMatchObject({
          state: 'failed',
          reason: `writer ${writer}: connection reset`,
        });
        expect(file.bytesDone).toBe(Math.floor(file.size! / 2));
      } else {
        expect(file).toMatchObject({
          state: 'done',
          bytesDone: file.size,
          checksum: `md5:${writer}${'0'.repeat(31)}`,
        });
      }
    }
    const sizes = files.map((f) => f.size!);
    const failedHalves = files.filter((f) => failing.has(f.id)).map((f) => Math.floor(f.size! / 2));
    const doneBytes = files.filter((f) => !failing.has(f.id)).map((f) => f.size!);
    const read = await research.get(runPath(made, run));
    expect(read.json<Run>().totals).toEqual({
      files: 60,
      filesDone: 58,
      filesFailed: 2,
      bytes: sizes.reduce((a, b) => a + b, 0),
      bytesDone: [...doneBytes, ...failedHalves].reduce((a, b) => a + b, 0),
      errors: 2,
    });
    expect(read.json<Run>().currentFiles).toEqual([]);
    expect(etagOf(read)).not.toBe(before);
    const failed = await research.get(`${runPath(made, run)}/files?state=failed`);
    expect(
      failed
        .json<{ files: RunFile[] }>()
        .files.map((f) => f.id)
        .sort(),
    ).toEqual([...failing].sort());
  });

  test('totals show the files in transfer; ending fails what is unfinished and keeps what targets reported', async () => {
    const made = await readyContext(research, 'Ending', 2);
    const [zenodo, osf] = made.targetIds as [string, string];
    const run = await start(made.id);
    const [a, b] = await register(made, run, ['/data/a', '/data/b'], zenodo);
    await register(made, run, ['/data/a'], osf);
    await exporter.patch(`${runPath(made, run)}/files/${a!.id}`, { state: 'done', bytesDone: 100 });
    await exporter.patch(`${runPath(made, run)}/files/${b!.id}`, {
      state: 'transferring',
      bytesDone: 40,
    });
    const running = (await research.get(runPath(made, run))).json<Run>();
    expect(running.currentFiles.map((f) => [f.id, f.bytesDone])).toEqual([[b!.id, 40]]);
    expect(running.totals).toMatchObject({ files: 3, filesDone: 1, bytes: 301, bytesDone: 140 });

    await setTarget(made, run, zenodo, { state: 'transferring', reported: { draftId: 'd-77' } });
    await setTarget(made, run, osf, {
      state: 'done',
      reported: { recordId: 'x9k2p', recordUrl: 'https://osf.example/x9k2p', version: '2' },
    });
    const ended = await end(made, run, { reason: 'The exporter stopped.' });
    expect(ended).toMatchObject({ state: 'failed', reason: 'The exporter stopped.' });
    expect(ended.endedAt).toBeDefined();
    expect(ended.targets).toEqual([
      expect.objectContaining({
        targetId: zenodo,
        state: 'failed',
        reason: 'The exporter stopped.',
      }),
      expect.objectContaining({ targetId: osf, state: 'done' }),
    ]);
    expect(ended.totals).toMatchObject({ files: 3, filesDone: 1, filesFailed: 2, errors: 3 });
    expect(ended.currentFiles).toEqual([]);

    const context = (await contextOf(made.id)).answer.json<{
      status: string;
      targets: { id: string; reported?: object }[];
    }>();
    expect(context.status).toBe('failed');
    expect(context.targets.map((t) => [t.id, t.reported])).toEqual([
      [zenodo, { draftId: 'd-77' }],
      [osf, { recordId: 'x9k2p', recordUrl: 'https://osf.example/x9k2p', version: '2' }],
    ]);
  });

  test('a target set to publish a new record gets it once: from then on, exports version that record', async () => {
    const made = await readyContext(research, 'A fresh record', 2);
    const [fresh, draftOnly] = made.targetIds as [string, string];
    let etag = (await contextOf(made.id)).etag;
    for (const targetId of made.targetIds) {
      const set = await research.patch(
        `/contexts/${made.id}/targets/${targetId}`,
        { settings: { mode: 'publish', folders: 'encode-paths', newRecord: true } },
        etag,
      );
      expect(set.status, set.text).toBe(200);
      etag = etagOf(set);
    }
    const run = await start(made.id);
    await setTarget(made, run, fresh, { state: 'done', reported: { recordId: 'new-1' } });
    await setTarget(made, run, draftOnly, { state: 'transferring', reported: { draftId: 'd-1' } });
    await end(made, run, { reason: 'The exporter stopped.' });

    const context = (await contextOf(made.id)).answer.json<{
      targets: { id: string; settings: object }[];
    }>();
    expect(context.targets.map((t) => [t.id, t.settings])).toEqual([
      [fresh, { mode: 'publish', folders: 'encode-paths', unfitFiles: 'refuse' }],
      // No record yet: the next export still makes a new one.
      [
        draftOnly,
        { mode: 'publish', folders: 'encode-paths', unfitFiles: 'refuse', newRecord: true },
      ],
    ]);
  });

  test('a cancelled run: what was sent stays done, nothing unsent fails, and the context is ready again', async () => {
    const made = await readyContext(research, 'Cancelled', 2);
    const [zenodo, osf] = made.targetIds as [string, string];
    const run = await start(made.id);
    const [sent, refused, inFlight, unsent] = await register(
      made,
      run,
      ['/data/sent', '/data/refused', '/data/in-flight', '/data/unsent'],
      zenodo,
    );
    await register(made, run, ['/data/sent'], osf);
    const file = (id: string, changes: object) =>
      exporter.patch(`${runPath(made, run)}/files/${id}`, changes);
    await file(sent!.id, { state: 'done', bytesDone: 100 });
    await file(refused!.id, { state: 'failed', reason: 'zenodo refused "refused": too large.' });
    await file(inFlight!.id, { state: 'transferring', bytesDone: 40 });
    await setTarget(made, run, zenodo, { state: 'transferring', reported: { draftId: 'd-78' } });
    await setTarget(made, run, osf, { state: 'done', reported: { recordId: 'q3' } });

    const ended = await end(made, run, { reason: 'Cancelled by the user.', cancelled: true });
    expect(ended).toMatchObject({ state: 'cancelled', reason: 'Cancelled by the user.' });
    expect(ended.endedAt).toBeDefined();
    expect(ended.targets).toEqual([
      expect.objectContaining({ targetId: zenodo, state: 'pending' }),
      expect.objectContaining({ targetId: osf, state: 'done' }),
    ]);
    expect(ended.targets[0]!.reason).toBeUndefined();
    // Only the file that failed on its own counts as failed; the unsent ones are not errors.
    expect(ended.totals).toMatchObject({ files: 5, filesDone: 1, filesFailed: 1, errors: 1 });
    expect(ended.currentFiles).toEqual([]);
    expect((await allFiles(made, run, 10)).map((f) => [f.path, f.state, f.reason])).toEqual([
      ['/data/sent', 'done', undefined],
      ['/data/refused', 'failed', 'zenodo refused "refused": too large.'],
      ['/data/in-flight', 'pending', undefined],
      ['/data/unsent', 'pending', undefined],
      ['/data/sent', 'pending', undefined],
    ]);
    expect((await allFiles(made, run, 10))[2]!.bytesDone).toBe(0);
    expect(unsent!.state).toBe('pending');

    // Ready to export again, with the draft the run had opened.
    const context = (await contextOf(made.id)).answer.json<{
      status: string;
      targets: { id: string; reported?: object }[];
    }>();
    expect(context.status).toBe('ready');
    expect(context.targets.map((t) => [t.id, t.reported])).toEqual([
      [zenodo, { draftId: 'd-78' }],
      [osf, { recordId: 'q3' }],
    ]);
    for (const body of [{}, { cancelled: true }, { reason: 'again', cancelled: true }]) {
      expectProblem(
        await exporter.post(`${runPath(made, run)}/end`, body),
        409,
        'research.run.ended',
      );
    }
    expect((await research.get(runPath(made, run))).json()).toEqual(ended);
    const runs = (await research.get(`/contexts/${made.id}/runs`)).json<{ runs: Run[] }>().runs;
    expect(runs.map((r) => r.state)).toEqual(['cancelled']);
    expect((await start(made.id)).state).toBe('running');
  });

  test('cancelling an export of an exported context leaves it exported; a cancel with every target done is done', async () => {
    const made = await readyContext(research, 'Exported, then cancelled', 1);
    const [target] = made.targetIds as [string];
    const first = await start(made.id);
    await setTarget(made, first, target, { state: 'done', reported: { recordId: 'r1' } });
    expect(
      await end(made, first, { reason: 'Cancelled by the user.', cancelled: true }),
    ).toMatchObject({ state: 'done' });
    expect((await contextOf(made.id)).status).toBe('exported');

    const newVersion = await start(made.id);
    await register(made, newVersion, ['/data/new.csv']);
    const cancelled = await end(made, newVersion, { cancelled: true });
    expect(cancelled).toMatchObject({
      state: 'cancelled',
      reason: 'The export was cancelled.',
      totals: { files: 1, filesFailed: 0, errors: 0 },
    });
    // The record of the first export still stands.
    const { status, answer } = await contextOf(made.id);
    expect(status).toBe('exported');
    expect(answer.json<{ targets: { reported?: object }[] }>().targets[0]!.reported).toEqual({
      recordId: 'r1',
    });
    // Only a run ends an export: no status call takes an exporting context back to ready.
    await start(made.id);
    expectProblem(
      await research.put(
        `/contexts/${made.id}/status`,
        { status: 'ready' },
        (await contextOf(made.id)).etag,
      ),
      409,
      'research.transition.refused',
    );
  });

  test('a run says what it does (export, or publish-draft), and keeps a note per target whatever its state', async () => {
    const made = await readyContext(research, 'Actions and notes');
    const exporting = await start(made.id);
    expect(exporting).toMatchObject({ action: 'export' });
    const zenodo = made.targetIds[0]!;
    const note = 'Skipped 1 file zenodo would refuse: /data/empty.csv (empty).';
    await setTarget(made, exporting, zenodo, { state: 'transferring', note });
    await setTarget(made, exporting, zenodo, { state: 'done', reported: { draftId: 'd-1' } });
    const ended = await end(made, exporting);
    expect(ended.targets[0]).toMatchObject({ state: 'done', note });
    const listed = await research.get(`/contexts/${made.id}/runs`);
    expect(listed.json<{ runs: Run[] }>().runs[0]).toMatchObject({ action: 'export' });

    const publishing = await start(made.id, { action: 'publish-draft' });
    expect(publishing).toMatchObject({ action: 'publish-draft', targets: [{ state: 'pending' }] });
    expect(publishing.targets[0]).not.toHaveProperty('note');
    const read = await research.get(runPath(made, publishing));
    expect(read.json<Run>()).toMatchObject({ action: 'publish-draft' });
    const unknown = await exporter.post(`/contexts/${made.id}/runs`, { action: 'delete' });
    expectProblem(unknown, 400, 'request.invalid');
  });

  test('an ended run is history: it no longer changes, and stays readable after its context is deleted', async () => {
    const made = await readyContext(research, 'History', 1);
    const run = await start(made.id);
    const [file] = await register(made, run, ['/data/kept.csv']);
    await exporter.patch(`${runPath(made, run)}/files/${file!.id}`, {
      state: 'done',
      bytesDone: 100,
    });
    await setTarget(made, run, made.targetIds[0]!, { state: 'done' });
    const ended = await end(made, run);
    expect(ended.state).toBe('done');

    for (const answer of [
      await exporter.patch(`${runPath(made, run)}/files/${file!.id}`, {
        state: 'failed',
        reason: 'late',
      }),
      await exporter.patch(`${runPath(made, run)}/targets/${made.targetIds[0]}`, {
        state: 'failed',
        reason: 'late',
      }),
      await exporter.post(`${runPath(made, run)}/files`, {
        files: [{ targetId: made.targetIds[0], sourceId: made.sourceId, path: '/late' }],
      }),
      await exporter.post(`${runPath(made, run)}/end`, {}),
    ]) {
      expectProblem(answer, 409, 'research.run.ended');
    }

    const { etag } = await contextOf(made.id);
    expect((await research.delete(`/contexts/${made.id}`, etag)).status).toBe(200);
    const read = await research.get(runPath(made, run));
    expect(read.status).toBe(200);
    expect(read.json()).toEqual(ended);
    expect(etagOf(read)).toBe(etagOf(await research.get(runPath(made, run))));
    expect((await allFiles(made, run, 10)).map((f) => [f.path, f.state])).toEqual([
      ['/data/kept.csv', 'done'],
    ]);
    expect(
      (await research.get(`/contexts/${made.id}/runs`)).json<{ runs: Run[] }>().runs,
    ).toHaveLength(1);
  });

  test('registering files is safe to repeat; files name only the run’s targets and sources', async () => {
    const made = await readyContext(research, 'Registration', 1);
    const run = await start(made.id);
    const first = await register(made, run, ['/a', '/b']);
    const again = await register(made, run, ['/b', '/c', '/a']);
    expect(again.map((f) => f.id)).toEqual([first[1]!.id, expect.any(String), first[0]!.id]);
    expect((await allFiles(made, run, 100)).map((f) => f.path)).toEqual(['/a', '/b', '/c']);

    const stranger = crypto.randomUUID();
    const answer = await exporter.post(`${runPath(made, run)}/files`, {
      files: [
        { targetId: made.targetIds[0], sourceId: made.sourceId, path: '/d' },
        { targetId: stranger, sourceId: stranger, path: '/e' },
      ],
    });
    const problem = expectProblem(answer, 422, 'research.reference.unknown');
    expect(pointersOf(problem)).toEqual(['#/files/1/targetId', '#/files/1/sourceId']);
    expect(await allFiles(made, run, 100)).toHaveLength(3);
  });

  test('bad progress is 400 with pointers, and changes nothing', async () => {
    const made = await readyContext(research, 'Validation', 1);
    const run = await start(made.id);
    const [file] = await register(made, run, ['/x']);
    const path = `${runPath(made, run)}/files/${file!.id}`;
    const cases: [object, string][] = [
      [{}, '#'],
      [{ state: 'failed' }, '#/reason'],
      [{ state: 'done', reason: 'why not' }, '#'],
      [{ state: 'lost' }, '#/state'],
      [{ bytesDone: -1 }, '#/bytesDone'],
      [{ bytesDone: '12' }, '#/bytesDone'],
      [{ checksum: 'abc' }, '#/checksum'],
      [{ state: 'done', owner: 'me' }, '#/owner'],
    ];
    for (const [body, pointer] of cases) {
      const problem = expectProblem(await exporter.patch(path, body), 400, 'request.invalid');
      expect(pointersOf(problem), JSON.stringify(body)).toContain(pointer);
    }
    const tooMany = await exporter.post(`${runPath(made, run)}/files`, {
      files: Array.from({ length: 1001 }, (_, i) => ({
        targetId: made.targetIds[0],
        sourceId: made.sourceId,
        path: `/${i}`,
      })),
    });
    expectProblem(tooMany, 400, 'request.invalid');
    expect(await allFiles(made, run, 100)).toEqual([
      expect.objectContaining({ id: file!.id, state: 'pending', bytesDone: 0 }),
    ]);
  });

  test('runs are ada’s alone; only the exporter writes progress and ends them', async () => {
    const made = await readyContext(research, 'Isolated', 1);
    const run = await start(made.id);
    const [file] = await register(made, run, ['/secret']);
    for (const other of [
      clientOf(manager, { service: 'exporter', user: 'bob' }),
      clientOf(manager, { service: 'exporter', user: 'ada', tenant: 'uni-b' }),
    ]) {
      for (const answer of [
        await other.get(runPath(made, run)),
        await other.get(`${runPath(made, run)}/files`),
        await other.patch(`${runPath(made, run)}/files/${file!.id}`, { state: 'done' }),
        await other.patch(`${runPath(made, run)}/targets/${made.targetIds[0]}`, { state: 'done' }),
        await other.post(`${runPath(made, run)}/end`, {}),
      ]) {
        expectProblem(answer, 404, 'research.run.notFound');
      }
      expectProblem(await other.get(`/contexts/${made.id}/runs`), 404, 'research.context.notFound');
    }
    expectProblem(
      await exporter.get(`/contexts/${made.id}/runs/${crypto.randomUUID()}`),
      404,
      'research.run.notFound',
    );
    expectProblem(
      await exporter.patch(`${runPath(made, run)}/files/${crypto.randomUUID()}`, { state: 'done' }),
      404,
      'research.file.notFound',
    );
    expectProblem(
      await research.patch(`${runPath(made, run)}/files/${file!.id}`, { state: 'done' }),
      403,
      'auth.forbidden',
    );
    expectProblem(
      await research.post(`/contexts/${made.id}/runs`, {}, made.etag),
      403,
      'auth.forbidden',
    );
    expectProblem(
      await research.post(`${runPath(made, run)}/end`, { reason: 'cancelled' }),
      403,
      'auth.forbidden',
    );
    const cancelled = await exporter.post(`${runPath(made, run)}/end`, { reason: 'cancelled' });
    expect(cancelled.json<Run>()).toMatchObject({ state: 'failed', reason: 'cancelled' });
  });
});
