/**
 * A researcher publishes their files to Zenodo, changes some, and exports again: the second
 * export is version 2 of the same record, holding exactly the files the source holds then, byte
 * for byte, while version 1 stays as it was (issue 18, item 2; issue 20, item 1). From a source
 * that keeps no checksums the exporter proves unchanged files by reading them; from one that
 * lists MD5s (Nextcloud), without reading them.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ended, startExport } from './harness.ts';
import {
  contextOf,
  md5,
  setTarget,
  startZenodoStack,
  zenodoContext,
  zenodoFiles,
  zenodoRecord,
  type ZenodoStack,
} from './zenodo-stack.ts';

const UPLOAD = '/api/records/:id/draft/files/:key/content';

describe.each([
  { source: 'Apache mod_dav, which keeps no checksums', nextcloud: false },
  { source: 'Nextcloud, which lists MD5s', nextcloud: true },
])('from $source', ({ nextcloud }) => {
  let stack: ZenodoStack;
  beforeAll(async () => {
    stack = await startZenodoStack({}, { nextcloud });
  }, 120_000);
  afterAll(() => stack?.close());

  const uploadsTo = (recordId: string) =>
    stack.zenodo.log.filter((r) => r.method === 'PUT' && r.route === UPLOAD && r.id === recordId)
      .length;

  test('exported again, a published context becomes version 2 with exactly the source’s files; version 1 is unchanged', async () => {
    const first: Record<string, Buffer> = {
      'stations.csv': randomBytes(2000),
      'readings.csv': randomBytes(300_000),
      'notes.txt': randomBytes(700),
      'calibration.json': randomBytes(1500),
    };
    await stack.writeFiles(first);
    const { id } = await zenodoContext(stack);
    const run1 = await startExport(stack.exporter.url, id);
    expect(await ended(stack.exporter.url, id, run1)).toMatchObject({ state: 'done' });
    const v1 = (await contextOf(stack, id)).targets[0]!.reported!;
    expect(v1).toMatchObject({ version: '1', doi: expect.stringMatching(/^10\.5281\/zenodo\./) });
    const v1Files = Object.fromEntries(Object.entries(first).map(([k, b]) => [k, md5(b)]));
    expect(await zenodoFiles(stack, v1.recordId!)).toEqual(v1Files);

    // A file changed without changing its size, one deleted, one added.
    const changed = randomBytes(first['readings.csv']!.length);
    const added = randomBytes(4321);
    await stack.writeFiles({ 'readings.csv': changed, 'notes.txt': null, 'site-map.png': added });
    const second = {
      'stations.csv': md5(first['stations.csv']!),
      'readings.csv': md5(changed),
      'calibration.json': md5(first['calibration.json']!),
      'site-map.png': md5(added),
    };

    const downloadsBefore = stack.storage.downloads().length;
    const run2 = await startExport(stack.exporter.url, id);
    const progress = await ended(stack.exporter.url, id, run2);
    expect(progress).toMatchObject({ state: 'done', files: { total: 4, done: 4, failed: 0 } });
    const context = await contextOf(stack, id);
    expect(context.status).toBe('exported');
    const v2 = context.targets[0]!.reported!;
    expect(v2.recordId).not.toBe(v1.recordId);
    expect(v2).toMatchObject({ version: '2', doi: expect.stringMatching(/^10\.5281\/zenodo\./) });
    expect(v2.doi).not.toBe(v1.doi);
    expect(v2).not.toHaveProperty('draftId');
    expect(progress.targets[0]).toMatchObject({ state: 'done', doi: v2.doi, version: '2' });

    expect(await zenodoFiles(stack, v2.recordId!)).toEqual(second);
    expect(await zenodoRecord(stack, v2.recordId!)).toMatchObject({ state: 'published' });
    // Only what changed went up again: the new content and the new file.
    expect(uploadsTo(v2.recordId!)).toBe(2);
    if (nextcloud) {
      // The MD5s the source lists prove the unchanged files the same: only the others are read.
      const read = stack.storage.downloads().slice(downloadsBefore);
      expect(read.map((path) => path.split('/').at(-1)).sort()).toEqual([
        'readings.csv',
        'site-map.png',
      ]);
    }
    // Version 1 keeps what it published.
    expect(await zenodoFiles(stack, v1.recordId!)).toEqual(v1Files);
    expect(await zenodoRecord(stack, v1.recordId!)).toMatchObject({ state: 'published' });
  }, 120_000);

  test.runIf(!nextcloud)(
    'a target set to publish a new record gets one, unrelated to the record published before',
    async () => {
      const bytes = randomBytes(1000);
      await stack.writeFiles({ 'table.csv': bytes }, 'fresh');
      const { id, targetId } = await zenodoContext(stack, { folder: '/fresh' });
      const run1 = await startExport(stack.exporter.url, id);
      expect(await ended(stack.exporter.url, id, run1)).toMatchObject({ state: 'done' });
      const first = (await contextOf(stack, id)).targets[0]!.reported!;

      await setTarget(stack, id, targetId, { mode: 'publish', newRecord: true });
      const run2 = await startExport(stack.exporter.url, id);
      expect(await ended(stack.exporter.url, id, run2)).toMatchObject({ state: 'done' });
      const second = (await contextOf(stack, id)).targets[0]!.reported!;
      expect(second.recordId).not.toBe(first.recordId);
      expect(second).toMatchObject({ version: '1' });
      expect(second.doi).not.toBe(first.doi);
      expect(await zenodoFiles(stack, second.recordId!)).toEqual({ 'table.csv': md5(bytes) });

      // The setting is spent: the next export makes version 2 of the new record.
      const target = (await contextOf(stack, id)).targets[0]!;
      expect(target.settings).not.toHaveProperty('newRecord');
      const changed = randomBytes(1200);
      await stack.writeFiles({ 'table.csv': changed }, 'fresh');
      const run3 = await startExport(stack.exporter.url, id);
      expect(await ended(stack.exporter.url, id, run3)).toMatchObject({ state: 'done' });
      const third = (await contextOf(stack, id)).targets[0]!.reported!;
      expect(third).toMatchObject({ version: '2' });
      expect(third.recordId).not.toBe(second.recordId);
      expect(await zenodoFiles(stack, third.recordId!)).toEqual({ 'table.csv': md5(changed) });
    },
    180_000,
  );
});
