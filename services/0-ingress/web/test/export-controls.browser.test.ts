/**
 * The export panel's controls in Debian's Chromium against the real app, signed in as the
 * embedded default's local user, from the local folder to Zenodo (the InvenioRDM fake):
 * cancelling an export while its files are in flight (the fake holds the uploads), then
 * exporting again; and a file the repository refuses, listed with its path and reason while the
 * other files reach the record. Screenshots go to test-artifacts/web/.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { call } from '@rds/kit/testing';
import { launchChromium, startFakeInvenio, type FakeInvenio } from '@rds/test-peers';
import { ensureUi } from '../src/index.ts';
import { signInLocally, type Browser as Session } from './session.ts';
import { contextWithFolder } from './pages.ts';
import { screenshot } from './screenshots.ts';
import { startStack, type Stack } from './stack.ts';

/** Files of one target in flight at once: the exporter's default RDS_EXPORTER_FILE_CONCURRENCY. */
const IN_FLIGHT = 4;
const READINGS = 12;
const UPLOAD = { method: 'PUT', route: '/api/records/:id/draft/files/:key/content' };
const NEW_DRAFT = { method: 'POST', route: '/api/records' };

/** A run as web's API answers it, with what this test reads. */
interface Run {
  state: string;
  reason?: string;
  targets: {
    state: string;
    reason?: string;
    reported?: { draftId?: string; recordId?: string; doi?: string };
  }[];
  totals: { files: number; filesDone: number; filesFailed: number };
}

let zenodo: FakeInvenio;
let token: string;
let stack: Stack;
let session: Session;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  await ensureUi();
  // Zenodo's 100 calls a minute would be spent by the three exports here (about four calls a
  // file), and the port would wait out the window: these tests are about the panel, not that.
  zenodo = await startFakeInvenio({ rateLimit: { requests: 10_000, windowMs: 60_000 } });
  stack = await startStack({ zenodo });
  // Buoy readings: more files than go in flight at once, so that a cancel leaves some unsent.
  mkdirSync(join(stack.files, 'buoy-readings'));
  for (let i = 1; i <= READINGS; i++) {
    const name = `buoy-${String(i).padStart(2, '0')}.csv`;
    writeFileSync(join(stack.files, 'buoy-readings', name), `hour,celsius\n${i},${10 + i / 10}\n`);
  }
  // A survey with one photo larger than the repository takes (see the second test).
  mkdirSync(join(stack.files, 'survey'));
  writeFileSync(join(stack.files, 'survey', 'site-a.csv'), 'depth,celsius\n1,11.2\n');
  writeFileSync(join(stack.files, 'survey', 'site-b.csv'), 'depth,celsius\n1,12.9\n');
  writeFileSync(join(stack.files, 'survey', 'harbour.jpg'), Buffer.alloc(4000, 0xff));
  session = await signInLocally(stack.url);
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1366, height: 900 } });

  await page.goto(stack.url);
  await page.getByRole('button', { name: 'Sign in' }).click();
  // Set up before the tests, where expect.poll is not to be had: Playwright's own waits.
  await page.getByText('Local user').waitFor();
  await page.getByRole('link', { name: 'Connected services' }).click();
  const repository = page.getByRole('listitem', { name: 'Zenodo' });
  token = zenodo.addUser('someone');
  await repository.getByLabel('Access token', { exact: true }).fill(token);
  await repository.getByRole('button', { name: 'Connect Zenodo' }).click();
  await repository.getByText('Connected', { exact: true }).waitFor();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await stack?.close();
  await zenodo?.close();
});

const shot = (name: string) => screenshot(page, name);

/** A context exporting `folder` of the local folder to Zenodo, described, on screen. */
async function contextFor(name: string, folder: string): Promise<string> {
  const contextId = await contextWithFolder(page, name, folder);
  const targets = page.getByRole('region', { name: 'Targets' });
  await targets.getByLabel('Repository', { exact: true }).selectOption('zenodo');
  await targets.getByLabel('Publication', { exact: true }).selectOption('publish');
  await targets.getByRole('button', { name: 'Add target' }).click();
  await expect.poll(() => targets.getByRole('heading', { name: 'Zenodo' }).isVisible()).toBe(true);

  const metadata = page.getByRole('region', { name: 'Metadata' });
  await metadata.getByLabel('Title', { exact: true }).fill(name);
  await metadata.getByLabel('Description', { exact: true }).fill('Sea surface temperatures.');
  await metadata.getByLabel('Publication date', { exact: true }).fill('2024-06-01');
  await metadata.getByLabel('Resource type', { exact: true }).selectOption('dataset');
  await metadata.getByRole('button', { name: 'Add creator' }).click();
  await metadata
    .getByRole('group', { name: 'Creator 1' })
    .getByLabel('Name (required)', { exact: true })
    .fill('Lovelace, Ada');
  await metadata
    .getByRole('group', { name: 'License' })
    .getByLabel('ID (required)', { exact: true })
    .fill('CC-BY-4.0');
  await metadata.getByRole('button', { name: 'Save metadata' }).click();
  await expect
    .poll(() => metadata.getByText('Zenodo accepts this metadata.').isVisible())
    .toBe(true);
  return contextId!;
}

/** The context's runs, newest first, as web's API answers them. */
async function runsOf(contextId: string): Promise<Run[]> {
  const answer = await session.ask(`/api/contexts/${contextId}/runs`);
  expect(answer.status, answer.text).toBe(200);
  return answer.json<{ runs: Run[] }>().runs;
}

/** The files of a Zenodo draft, as the repository itself lists them. */
async function draftFiles(recordId: string): Promise<{ key: string; status: string }[]> {
  const answer = await call(`${zenodo.url}/api/records/${recordId}/draft/files`, {
    headers: { authorization: `Bearer ${token}` },
  });
  expect(answer.status, answer.text).toBe(200);
  return answer.json<{ entries: { key: string; status: string }[] }>().entries;
}

const count = ({ method, route }: { method: string; route: string }) =>
  zenodo.log.filter((r) => r.method === method && r.route === route).length;
const uploads = () => count(UPLOAD);

test('cancel an export while files are in flight: no more are sent, and it can start again', async () => {
  const contextId = await contextFor('Buoy readings, cancelled', 'buoy-readings');
  const exporting = page.getByRole('region', { name: 'Export' });
  const held = zenodo.faults.holdUploads();
  const before = uploads();
  await exporting.getByRole('button', { name: 'Export now' }).click();
  await expect.poll(() => held.waiting(), { timeout: 30_000 }).toBe(IN_FLIGHT);
  await expect.poll(() => exporting.getByText('Exporting…').isVisible()).toBe(true);
  expect(await exporting.getByRole('button', { name: 'Export now' }).isDisabled()).toBe(true);
  await shot('export-controls-1-running');

  const [asked] = await Promise.all([
    page.waitForResponse((response) => /\/api\/exports\/[^/]+\/cancel$/.test(response.url())),
    exporting.getByRole('button', { name: 'Cancel export' }).click(),
  ]);
  expect(asked.status()).toBe(202);
  // The panel has taken the cancel: the exporter that answered it stops its worker at the next
  // file boundary, so the files in flight, released now, are the last sent.
  await expect
    .poll(() => exporting.getByText(/^Cancelling…/).isVisible(), { timeout: 30_000 })
    .toBe(true);
  held.release();

  // The panel says the export was cancelled and what was sent; the user may export again.
  await expect
    .poll(() => exporting.getByText(/^Export cancelled$/).isVisible(), { timeout: 60_000 })
    .toBe(true);
  expect(await exporting.getByRole('button', { name: 'Cancel export' }).count()).toBe(0);
  expect(await exporting.getByRole('button', { name: 'Export now' }).isEnabled()).toBe(true);
  expect(await exporting.getByText(`${IN_FLIGHT} of ${READINGS} files exported`).isVisible()).toBe(
    true,
  );
  // The files not sent are not problems: nothing failed.
  expect(await exporting.getByRole('heading', { name: 'Problems' }).count()).toBe(0);
  expect(await exporting.getByText(/buoy-\d+\.csv/).count()).toBe(0);
  expect(await exporting.getByText('Zenodo: not finished').isVisible()).toBe(true);
  await shot('export-controls-2-cancelled');

  // The run ended cancelled, and the context is ready to export again.
  const [cancelled] = await runsOf(contextId);
  expect(cancelled).toMatchObject({
    state: 'cancelled',
    reason: 'Cancelled by the user.',
    targets: [{ state: 'pending' }],
    totals: { files: READINGS, filesDone: IN_FLIGHT, filesFailed: 0 },
  });
  const context = await session.ask(`/api/contexts/${contextId}`);
  expect(context.json<{ status: string }>().status).toBe('ready');
  // The files in flight went through, and no further one was sent.
  const draftId = cancelled!.targets[0]!.reported?.draftId;
  expect(draftId).toBeTruthy();
  const sent = await draftFiles(draftId!);
  expect(sent).toHaveLength(IN_FLIGHT);
  expect(sent.every((file) => file.status === 'completed')).toBe(true);
  expect(uploads() - before).toBe(IN_FLIGHT);
  const drafts = count(NEW_DRAFT);

  // Exported again: into the same draft, each file sent once, published with a DOI.
  await exporting.getByRole('button', { name: 'Export now' }).click();
  await expect
    .poll(() => exporting.getByText('Export finished').isVisible(), { timeout: 60_000 })
    .toBe(true);
  expect(await exporting.getByRole('link', { name: /^10\.5281\/zenodo\.\d+$/ }).isVisible()).toBe(
    true,
  );
  expect(await exporting.getByText(`${READINGS} of ${READINGS} files exported`).isVisible()).toBe(
    true,
  );
  await expect.poll(async () => (await runsOf(contextId)).length).toBe(2);
  const [again] = await runsOf(contextId);
  expect(again).toMatchObject({
    state: 'done',
    totals: { files: READINGS, filesDone: READINGS, filesFailed: 0 },
  });
  expect(again!.targets[0]!.reported?.recordId).toBe(draftId);
  expect(count(NEW_DRAFT)).toBe(drafts);
  expect(uploads() - before).toBe(READINGS);
  await shot('export-controls-3-exported-again');
}, 120_000);

test('a file the repository refuses is listed with its path and reason; the others are exported', async () => {
  // Zenodo takes less per file than the port was told: the plan lets the photo through, and
  // Zenodo refuses it on upload.
  const maxFileSize = zenodo.options.maxFileSize;
  zenodo.options.maxFileSize = 1000;
  try {
    const contextId = await contextFor('Harbour survey, one file refused', 'survey');
    const exporting = page.getByRole('region', { name: 'Export' });
    await exporting.getByRole('button', { name: 'Export now' }).click();
    await expect
      .poll(() => exporting.getByText('Export failed').isVisible(), { timeout: 30_000 })
      .toBe(true);
    await shot('export-controls-4-file-refused');
    // Ended, the files count, not the bytes: the refused photo was most of them.
    await expect
      .poll(() =>
        exporting.getByText('2 of 3 files exported · 1 failed', { exact: true }).isVisible(),
      )
      .toBe(true);
    expect(await exporting.locator('label[for="export-progress"]').textContent()).toBe(
      '2 of 3 files exported · 1 failed',
    );
    // Under "Problems", the file by its path, with Zenodo's reason, once: not again in the
    // target's line ("1 of 3 files could not be exported; …").
    expect(await exporting.getByRole('heading', { name: 'Problems' }).isVisible()).toBe(true);
    const problems = exporting.getByRole('list').filter({ hasText: /^\/survey\// });
    expect(await problems.getByRole('listitem').allTextContents()).toEqual([
      '/survey/harbour.jpg: Zenodo refused "harbour.jpg": Maximum file size exceeded.',
    ]);
    expect(await exporting.getByText(/Maximum file size exceeded/).count()).toBe(1);

    const [run] = await runsOf(contextId);
    expect(run).toMatchObject({
      state: 'failed',
      totals: { files: 3, filesDone: 2, filesFailed: 1 },
    });
    const draftId = run!.targets[0]!.reported?.draftId;
    const exported = await draftFiles(draftId!);
    expect(exported.map((f) => f.key).sort()).toEqual(['site-a.csv', 'site-b.csv']);
    // A refusal is final: the photo was offered once, not again and again.
    const offered = zenodo.log.filter(
      (r) => r.id === draftId && r.route === UPLOAD.route && r.status === 400,
    );
    expect(offered).toHaveLength(1);
  } finally {
    zenodo.options.maxFileSize = maxFileSize;
  }
}, 120_000);
