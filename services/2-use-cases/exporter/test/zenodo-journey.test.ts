/**
 * The rest of a researcher's journey to Zenodo, through the exporter: files Zenodo would refuse
 * are refused (or skipped) before anything is sent (issue 18), a draft left earlier is published
 * from RDS and one large file shows its progress by bytes (issue 20), and a port's name a context
 * holds is called only when it is a registered port of the kind needed (issue 19).
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { bearer, call } from '@rds/kit/testing';
import { ended, progressOf, startExport, USER } from './harness.ts';
import {
  contextOf,
  md5,
  startZenodoStack,
  zenodoContext,
  zenodoFiles,
  zenodoRecord,
  type ZenodoStack,
} from './zenodo-stack.ts';

let stack: ZenodoStack;
beforeAll(async () => {
  stack = await startZenodoStack();
}, 120_000);
afterAll(() => stack?.close());

const asWeb = () => bearer({ issuer: 'web', audience: 'exporter', user: USER });
const startAction = (contextId: string, action: string) =>
  call(`${stack.exporter.url}/exports`, {
    method: 'POST',
    headers: asWeb(),
    json: { contextId, action },
  });
const newRecords = () =>
  stack.zenodo.log.filter((r) => r.method === 'POST' && r.route === '/api/records').length;

describe('files Zenodo would refuse', () => {
  test('an empty file is refused before any draft, naming it and what to do', async () => {
    await stack.writeFiles(
      { 'a.csv': randomBytes(100), 'empty.csv': Buffer.alloc(0) },
      'with-empty',
    );
    const { id } = await zenodoContext(stack, { folder: '/with-empty' });
    const records = newRecords();
    const runId = await startExport(stack.exporter.url, id);
    const progress = await ended(stack.exporter.url, id, runId);
    expect(progress).toMatchObject({ state: 'failed', files: { total: 0 } });
    expect(progress.targets[0]!.reason).toBe(
      '/with-empty/empty.csv is empty, and zenodo takes no empty files. Leave it out, or set the target to skip the files it would refuse.',
    );
    expect(newRecords()).toBe(records);
  });

  test('set to skip them, the export publishes the rest and notes what it left out', async () => {
    const kept = randomBytes(100);
    await stack.writeFiles({ 'a.csv': kept, 'empty.csv': Buffer.alloc(0) }, 'skip-empty');
    const { id } = await zenodoContext(stack, {
      folder: '/skip-empty',
      settings: { mode: 'publish', unfitFiles: 'skip' },
    });
    const runId = await startExport(stack.exporter.url, id);
    const progress = await ended(stack.exporter.url, id, runId);
    expect(progress).toMatchObject({ state: 'done', files: { total: 1, done: 1 } });
    expect(progress.targets[0]).toMatchObject({
      state: 'done',
      note: 'Left out 1 file zenodo would refuse: /skip-empty/empty.csv (empty).',
    });
    const { recordId } = (await contextOf(stack, id)).targets[0]!.reported!;
    expect(await zenodoFiles(stack, recordId!)).toEqual({ 'a.csv': md5(kept) });
  });
});

describe('a draft left earlier', () => {
  test('is published from RDS as it is: DOI and version 1 on the context', async () => {
    const bytes = randomBytes(5000);
    await stack.writeFiles({ 'survey.csv': bytes }, 'drafted');
    const { id } = await zenodoContext(stack, {
      folder: '/drafted',
      settings: { mode: 'draft' },
    });
    const noDraft = await startAction(id, 'publish-draft');
    expect(noDraft.status, noDraft.text).toBe(409);
    expect(noDraft.json<{ messageKey: string }>().messageKey).toBe('export.noDraft');

    const drafting = await startExport(stack.exporter.url, id);
    const drafted = await ended(stack.exporter.url, id, drafting);
    expect(drafted.targets[0]).toMatchObject({ state: 'done', draftUrl: expect.any(String) });
    const left = (await contextOf(stack, id)).targets[0]!.reported!;
    expect(left).toMatchObject({ draftComplete: true, draftUrl: expect.stringMatching(/^http/) });
    expect(left).not.toHaveProperty('recordId');
    expect(await zenodoRecord(stack, left.draftId!)).toMatchObject({ state: 'draft' });

    const uploads = stack.zenodo.log.length;
    const answer = await startAction(id, 'publish-draft');
    expect(answer.status, answer.text).toBe(202);
    const { runId } = answer.json<{ runId: string }>();
    const progress = await ended(stack.exporter.url, id, runId);
    expect(progress).toMatchObject({
      action: 'publish-draft',
      state: 'done',
      files: { total: 0 },
      targets: [{ state: 'done', version: '1', doi: expect.stringMatching(/^10\.5281\//) }],
    });
    const context = await contextOf(stack, id);
    expect(context.status).toBe('exported');
    const published = context.targets[0]!.reported!;
    expect(published).toMatchObject({ recordId: left.draftId, version: '1' });
    expect(published).not.toHaveProperty('draftId');
    expect(await zenodoRecord(stack, left.draftId!)).toMatchObject({ state: 'published' });
    expect(await zenodoFiles(stack, left.draftId!)).toEqual({ 'survey.csv': md5(bytes) });
    // Nothing was sent again.
    const since = stack.zenodo.log.slice(uploads);
    expect(since.filter((r) => r.method === 'PUT' && r.route.endsWith('/content'))).toEqual([]);
  });
});

describe('progress by bytes', () => {
  test('one large file under way shows its bytes moving, in the run and in the progress', async () => {
    const size = 48 * 1024 ** 2;
    await stack.writeFiles({ 'big.bin': randomBytes(size) }, 'large');
    const { id } = await zenodoContext(stack, { folder: '/large' });
    const held = stack.zenodo.faults.holdUploads();
    try {
      const runId = await startExport(stack.exporter.url, id);
      // Zenodo reads nothing: the bytes already read from the source wait in buffers on the way.
      let progress = await progressOf(stack.exporter.url, id, runId);
      for (let i = 0; i < 100 && !(progress.bytes.done > 0); i++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        progress = await progressOf(stack.exporter.url, id, runId);
      }
      expect(progress.state).toBe('running');
      expect(progress.bytes.total).toBe(size);
      expect(progress.bytes.done).toBeGreaterThan(0);
      expect(progress.bytes.done).toBeLessThan(size);
      expect(progress.currentFiles).toEqual([
        expect.objectContaining({ path: '/large/big.bin', size, bytesDone: progress.bytes.done }),
      ]);
      expect(progress.percent).toBeGreaterThan(0);
      const run = await call(`${stack.rm.url}/contexts/${id}/runs/${runId}`, {
        headers: bearer({ issuer: 'research', audience: 'research-manager', user: USER }),
      });
      expect(run.json<{ totals: { bytes: number; bytesDone: number } }>().totals).toMatchObject({
        bytes: size,
        bytesDone: progress.bytes.done,
      });
      held.release();
      expect(await ended(stack.exporter.url, id, runId)).toMatchObject({
        state: 'done',
        bytes: { total: size, done: size },
        percent: 100,
      });
    } finally {
      held.release();
    }
  }, 120_000);
});

describe('callees', () => {
  test('a source named after a service that is no storage is never called: the export fails, saying so', async () => {
    const { id } = await zenodoContext(stack, { sourcePort: 'research-manager' });
    const calls = stack.researchManagerCalls.length;
    const runId = await startExport(stack.exporter.url, id);
    const progress = await ended(stack.exporter.url, id, runId);
    expect(progress).toMatchObject({ state: 'failed', files: { total: 0 } });
    expect(progress.targets[0]!.reason).toBe(
      'research-manager is not a storage RDS reads files from: RDS has no such service.',
    );
    const asSource = stack.researchManagerCalls
      .slice(calls)
      .filter((path) => /^\/(folder|entry|file)\b/.test(path));
    expect(asSource).toEqual([]);
  });

  test('a target that is a storage, not a repository, is refused without a call to it', async () => {
    const { id } = await zenodoContext(stack, { folder: '/with-empty', targetPort: 'webdav' });
    const runId = await startExport(stack.exporter.url, id);
    const progress = await ended(stack.exporter.url, id, runId);
    expect(progress).toMatchObject({ state: 'failed' });
    expect(progress.targets[0]!.reason).toBe('webdav is not a repository RDS publishes to.');
  });
});
