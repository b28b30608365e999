import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { RunningService } from '@rds/kit/testing';
import {
  cancelExport,
  ended,
  events,
  getContext,
  progressOf,
  readyContext,
  recordFiles,
  runFileStates,
  sha256,
  startExport,
  startExporter,
  startStack,
  targetRecord,
  type Stack,
} from './harness.ts';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack(50);
}, 60_000);
afterAll(() => stack.close());

/** The record a finished export published, with every file checked against the source. */
async function expectPublished(contextId: string) {
  const context = await getContext(stack, contextId);
  expect(context.status).toBe('exported');
  const recordId = context.targets[0]?.reported?.recordId;
  expect(recordId).toBeDefined();
  const atTarget = await recordFiles(stack, recordId!);
  expect(atTarget.size).toBe(stack.files.size);
  for (const [key, bytes] of stack.files)
    expect(atTarget.get(key)?.checksum, key).toBe(sha256(bytes));
}

describe('an export over HTTP, source to target', () => {
  let exporter: RunningService;
  beforeAll(async () => {
    exporter = await startExporter(stack);
  });
  afterAll(() => exporter.close());

  test('50 files in nested folders arrive with matching checksums; the stream follows to 100%', async () => {
    const contextId = await readyContext(stack, 'Fifty files');
    stack.proxy.completed.clear();
    const runId = await startExport(exporter.url, contextId);
    const stream = await events(exporter.url, contextId, runId);
    expect(stream.status).toBe(200);
    expect(stream.type).toMatch(/^text\/event-stream/);
    const last = stream.events.at(-1)!;
    expect(last.event).toBe('end');
    expect(last.data).toMatchObject({
      state: 'done',
      percent: 100,
      files: { total: 50, done: 50 },
    });
    expect(stream.events.length).toBeGreaterThan(1);
    await expectPublished(contextId);
    expect([...stack.proxy.completed.values()].every((n) => n === 1)).toBe(true);
    expect(stack.proxy.completed.size).toBe(50);
  }, 60_000);

  test('a small file is recorded once, when done: progress never shows one under way, even a slow one', async () => {
    const contextId = await readyContext(stack, 'Slow small files');
    stack.proxy.faults.push('slow', 'slow', 'slow', 'slow');
    const runId = await startExport(exporter.url, contextId);
    const shown = new Set<string>();
    let polls = 0;
    for (;;) {
      const progress = await progressOf(exporter.url, contextId, runId);
      for (const file of progress.currentFiles) shown.add(file.path);
      if (progress.state !== 'running') break;
      polls++;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    // The slow uploads alone keep the run going for more than a second of polls.
    expect(polls).toBeGreaterThan(10);
    expect([...shown]).toEqual([]);
  }, 60_000);

  test("the context's metadata is what the target receives", async () => {
    const contextId = await readyContext(stack, 'Described', {
      title: 'Soil moisture at plot 7',
      creators: [{ name: 'Curie, Marie' }],
    });
    const runId = await startExport(exporter.url, contextId);
    expect(await ended(exporter.url, contextId, runId)).toMatchObject({ state: 'done' });
    const { targets } = await getContext(stack, contextId);
    const record = await targetRecord(stack, targets[0]!.reported!.recordId!);
    expect(record).toMatchObject({ state: 'published', title: 'Soil moisture at plot 7' });
  }, 60_000);

  test('metadata the target cannot take fails that target before any draft, naming the field', async () => {
    const contextId = await readyContext(stack, 'Badly related', {
      title: 'Related oddly',
      relatedIdentifiers: [
        { identifier: '10.1234/x', scheme: 'doi', relationType: 'IsCompiledBy' },
      ],
    });
    stack.proxy.completed.clear();
    const runId = await startExport(exporter.url, contextId);
    const progress = await ended(exporter.url, contextId, runId);
    expect(progress).toMatchObject({ state: 'failed', files: { total: 0 } });
    expect(progress.targets[0]?.reason).toMatch(/\/relatedIdentifiers\/0\/relationType/);
    expect((await getContext(stack, contextId)).targets[0]?.reported).toBeUndefined();
    expect(stack.proxy.completed.size).toBe(0);
  }, 60_000);

  test('an unknown run is a problem, not an empty stream', async () => {
    const contextId = await readyContext(stack, 'Nothing run');
    const answer = await events(exporter.url, contextId, crypto.randomUUID());
    expect(answer.status).toBe(404);
    expect(answer.type).toMatch(/^application\/problem\+json/);
  });
});

describe('resuming', () => {
  test('a stopped exporter gives its job back; the next one uploads only what is not done', async () => {
    const contextId = await readyContext(stack, 'Resumed');
    stack.proxy.completed.clear();
    const first = await startExporter(stack, { RDS_EXPORTER_WORKERS: '1' });
    const runId = await startExport(first.url, contextId);
    while ([...stack.proxy.completed.values()].length < 20) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await first.close();
    const doneBefore = stack.proxy.completed.size;
    expect(doneBefore).toBeLessThan(50);

    const second = await startExporter(stack);
    try {
      expect(await ended(second.url, contextId, runId)).toMatchObject({ state: 'done' });
    } finally {
      await second.close();
    }
    await expectPublished(contextId);
    expect(stack.proxy.completed.size).toBe(50);
    expect([...stack.proxy.completed.values()].every((n) => n === 1)).toBe(true);
  }, 60_000);
});

describe('cancelling', () => {
  test('an export no worker has taken up yet ends cancelled at once: nothing failed, the context is ready again', async () => {
    const idle = await startExporter(stack, { RDS_EXPORTER_WORKERS: '0' });
    try {
      const contextId = await readyContext(stack, 'Cancelled while queued');
      const runId = await startExport(idle.url, contextId);
      expect((await cancelExport(idle.url, runId)).status).toBe(202);
      expect(await progressOf(idle.url, contextId, runId)).toMatchObject({
        state: 'cancelled',
        reason: 'Cancelled by the user.',
        files: { total: 0, done: 0, failed: 0 },
        errors: [],
        targets: [{ state: 'pending' }],
      });
      expect((await getContext(stack, contextId)).status).toBe('ready');
      const again = await cancelExport(idle.url, runId);
      expect(again.status, again.text).toBe(409);
    } finally {
      await idle.close();
    }
  }, 60_000);

  test('a running export stops after the files in flight: the rest stay pending, and the next export fills the same draft', async () => {
    const exporter = await startExporter(stack, { RDS_EXPORTER_WORKERS: '1' });
    try {
      const contextId = await readyContext(stack, 'Cancelled while running');
      stack.proxy.completed.clear();
      stack.proxy.injected.length = 0;
      // The first uploads (one per lane: RDS_EXPORTER_FILE_CONCURRENCY is 4) take 1.5 s.
      stack.proxy.faults.push('slow', 'slow', 'slow', 'slow');
      const runId = await startExport(exporter.url, contextId);
      while (stack.proxy.injected.length < 4) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect((await cancelExport(exporter.url, runId)).status).toBe(202);

      const progress = await ended(exporter.url, contextId, runId);
      expect(progress).toMatchObject({
        state: 'cancelled',
        reason: 'Cancelled by the user.',
        files: { total: 50, done: 4, failed: 0 },
        errors: [],
        targets: [{ state: 'pending' }],
      });
      expect(await runFileStates(stack, contextId, runId)).toEqual({ done: 4, pending: 46 });
      expect(stack.proxy.completed.size).toBe(4);
      const context = await getContext(stack, contextId);
      expect(context.status).toBe('ready');
      const draftId = context.targets[0]?.reported?.draftId;
      expect(draftId).toBeDefined();

      // Exported again: into the same draft, each file sent once.
      const next = await startExport(exporter.url, contextId);
      expect(await ended(exporter.url, contextId, next)).toMatchObject({ state: 'done' });
      await expectPublished(contextId);
      expect((await getContext(stack, contextId)).targets[0]?.reported?.recordId).toBe(draftId);
      expect(stack.proxy.completed.size).toBe(50);
      expect([...stack.proxy.completed.values()].every((n) => n === 1)).toBe(true);
    } finally {
      await exporter.close();
    }
  }, 60_000);
});

describe('faults between exporter and target', () => {
  test('500s, 429 with Retry-After, connection resets and slow answers: the export completes', async () => {
    const exporter = await startExporter(stack);
    try {
      const contextId = await readyContext(stack, 'Faulty network');
      stack.proxy.completed.clear();
      stack.proxy.injected.length = 0;
      stack.proxy.faults.push('status-500', 'reset', 'status-429', 'slow', 'status-500', 'reset');
      const runId = await startExport(exporter.url, contextId);
      expect(await ended(exporter.url, contextId, runId)).toMatchObject({
        state: 'done',
        files: { done: 50, failed: 0 },
      });
      expect(stack.proxy.injected).toHaveLength(6);
      await expectPublished(contextId);
    } finally {
      await exporter.close();
    }
  }, 60_000);
});
