/**
 * The researcher's journey in Debian's Chromium against the real app, signed in as the embedded
 * default's local user, from the local folder to Zenodo (the InvenioRDM fake): a context that
 * lacks metadata cannot be exported and says what is missing, each item leading to its field;
 * filled in (not saved), it is saved and exported, published with a DOI as version 1, shown with
 * its record and citation; a file changes and the next export makes version 2. And a large
 * export: a reload while it runs shows it still running, by bytes, and it can be cancelled.
 * Screenshots go to test-artifacts/web/ (and some to docs/images/ for the user guide).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { launchChromium, startFakeInvenio, type FakeInvenio } from '@rds/test-peers';
import { ensureUi } from '../src/index.ts';
import { contextWithFolder } from './pages.ts';
import { screenshot, screenshotOf } from './screenshots.ts';
import { signInLocally, type Browser as Session } from './session.ts';
import { startStack, type Stack } from './stack.ts';

const DOI = /^10\.5281\/zenodo\.\d+$/;
/** Large enough that its bytes, not its file count, say how far an export is. */
const LARGE = 16 * 1000 * 1000;
/** Small files beside it, more than the exporter sends at once (4). */
const TRACES = 5;

let zenodo: FakeInvenio;
let stack: Stack;
let session: Session;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  await ensureUi();
  zenodo = await startFakeInvenio({ rateLimit: { requests: 10_000, windowMs: 60_000 } });
  stack = await startStack({ zenodo });
  mkdirSync(join(stack.files, 'survey'));
  writeFileSync(join(stack.files, 'survey', 'site-a.csv'), 'depth,celsius\n1,11.2\n');
  writeFileSync(join(stack.files, 'survey', 'site-b.csv'), 'depth,celsius\n1,12.9\n');
  mkdirSync(join(stack.files, 'sonar'));
  writeFileSync(join(stack.files, 'sonar', 'seabed.raw'), Buffer.alloc(LARGE, 0x5a));
  // More files than go in flight at once, after it by name: a cancel then leaves some unsent.
  for (let i = 1; i <= TRACES; i++)
    writeFileSync(join(stack.files, 'sonar', `trace-${i}.csv`), `second,metres\n${i},${20 + i}\n`);
  session = await signInLocally(stack.url);
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
  await page.goto(stack.url);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByText('Local user').waitFor();
  await page.getByRole('link', { name: 'Connected services' }).click();
  const repository = page.getByRole('listitem', { name: 'Zenodo' });
  await repository.getByLabel('Access token', { exact: true }).fill(zenodo.addUser('someone'));
  await repository.getByRole('button', { name: 'Connect Zenodo' }).click();
  await repository.getByText('Connected', { exact: true }).waitFor();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await stack?.close();
  await zenodo?.close();
});

const shot = (name: string) => screenshot(page, name);

/** A context exporting `folder` to Zenodo, on screen, its metadata not yet given. */
async function toZenodo(name: string, folder: string, mode = 'publish'): Promise<string> {
  const contextId = await contextWithFolder(page, name, folder);
  const targets = page.getByRole('region', { name: 'Targets' });
  await targets.getByLabel('Repository', { exact: true }).selectOption('zenodo');
  await targets.getByLabel('Publication', { exact: true }).selectOption(mode);
  await targets.getByRole('button', { name: 'Add target' }).click();
  await targets.getByRole('heading', { name: 'Zenodo' }).waitFor();
  return contextId;
}

/** Fills in what Zenodo needs, without saving. */
async function describe(title: string): Promise<void> {
  const metadata = page.getByRole('region', { name: 'Metadata' });
  await metadata.getByLabel('Title', { exact: true }).fill(title);
  await metadata.getByLabel('Description', { exact: true }).fill('Sea temperatures by depth.');
  await metadata.getByLabel('Publication date', { exact: true }).fill('2024-06-01');
  await metadata.getByLabel('Resource type', { exact: true }).selectOption('dataset');
  if ((await metadata.getByRole('group', { name: 'Creator 1' }).count()) === 0)
    await metadata.getByRole('button', { name: 'Add creator' }).click();
  await metadata
    .getByRole('group', { name: 'Creator 1' })
    .getByLabel('Name (required)', { exact: true })
    .fill('Lovelace, Ada');
  await metadata
    .getByRole('group', { name: 'License' })
    .getByLabel('ID (required)', { exact: true })
    .fill('CC-BY-4.0');
}

test('missing metadata stops the export and is named; filled in, it publishes version 1, then version 2', async () => {
  const contextId = await toZenodo('Harbour survey', 'survey');
  // Zenodo keeps no folders: its card asks how files in folders go (zipped unless chosen).
  const targets = page.getByRole('region', { name: 'Targets' });
  const folders = targets.getByLabel('Files in folders (Zenodo keeps no folders)', { exact: true });
  await folders.waitFor();
  expect(await folders.inputValue()).toBe('zip-folders');
  await folders.selectOption('encode-paths');
  await expect
    .poll(() => targets.getByRole('status').textContent())
    .toBe('Zenodo will get each file named after its whole path.');
  await folders.selectOption('zip-folders');
  await expect
    .poll(() => targets.getByRole('status').textContent())
    .toBe('Zenodo will get one zip file per top-level folder.');
  const exporting = page.getByRole('region', { name: 'Export' });
  const exportNow = exporting.getByRole('button', { name: 'Export now' });

  // Nothing described yet: the export cannot start, and the panel lists what Zenodo needs.
  const fix = exporting.getByRole('group', { name: 'Before you can export, fix:' });
  await fix.waitFor();
  expect(await exportNow.isDisabled()).toBe(true);
  const items = await fix.getByRole('listitem').allTextContents();
  expect(items).toEqual(expect.arrayContaining(['Zenodo needs a title']));
  await shot('journey-1-what-to-fix');
  await screenshotOf(exporting, 'guide-what-to-fix');
  await fix.getByRole('button', { name: 'Zenodo needs a title' }).click();
  expect(await page.evaluate<string | undefined>('document.activeElement?.id')).toBe('field-title');

  // Filled in, not saved: the export saves it first, then publishes.
  await describe('Harbour survey, North Sea 2024');
  const saveAndExport = exporting.getByRole('button', { name: 'Save and export' });
  await saveAndExport.click();
  await expect
    .poll(() => exporting.getByText('Export finished').isVisible(), { timeout: 60_000 })
    .toBe(true);
  const saved = (await session.ask(`/api/contexts/${contextId}`)).json<{
    metadata: { title: string };
  }>();
  expect(saved.metadata.title).toBe('Harbour survey, North Sea 2024');

  // The result: the DOI as a link, the record, the version, a citation.
  const first = exporting.getByRole('link', { name: DOI });
  const doi1 = (await first.textContent())!;
  expect(await first.getAttribute('href')).toBe(`https://doi.org/${doi1}`);
  expect(await exporting.getByRole('link', { name: 'View the record in Zenodo' }).count()).toBe(1);
  expect(await exporting.locator('dt:text-is("Version") + dd').textContent()).toBe('1');
  expect(await exporting.locator('.citation').textContent()).toBe(
    `Lovelace, Ada (2024). Harbour survey, North Sea 2024. Version 1. Zenodo. https://doi.org/${doi1}`,
  );
  await shot('journey-2-published');
  await screenshotOf(exporting, 'guide-published');

  // Published once, the next export makes a new version of it: the choice says so.
  const publication = targets.getByLabel('Publication in Zenodo', { exact: true });
  await expect
    .poll(() => publication.locator('option:checked').textContent())
    .toBe('New version of the published record');
  expect(await targets.getByRole('link', { name: doi1 }).isVisible()).toBe(true);

  // A file changes; the next export is version 2, with a DOI of its own.
  writeFileSync(join(stack.files, 'survey', 'site-a.csv'), 'depth,celsius\n1,11.2\n2,10.9\n');
  await exportNow.click();
  await expect
    .poll(() => exporting.locator('dt:text-is("Version") + dd').textContent(), { timeout: 60_000 })
    .toBe('2');
  const doi2 = (await exporting.getByRole('link', { name: DOI }).textContent())!;
  expect(doi2).not.toBe(doi1);
  await expect.poll(() => targets.locator('dt:text-is("Version") + dd').textContent()).toBe('2');
  // History lists both exports, each with what it published.
  const history = page.getByRole('region', { name: 'History' });
  await expect.poll(() => history.getByRole('link', { name: DOI }).count()).toBe(2);
  expect(await history.getByText(/version 2/).count()).toBe(1);
  expect(await history.getByText(/version 1/).count()).toBe(1);
  await shot('journey-3-version-2');
  await screenshotOf(targets, 'guide-version-2');
}, 180_000);

test('a draft left for the researcher is published from RDS', async () => {
  await toZenodo('Harbour survey, draft first', 'survey', 'draft');
  await describe('Harbour survey, reviewed before publishing');
  const exporting = page.getByRole('region', { name: 'Export' });
  await exporting.getByRole('button', { name: 'Save and export' }).click();
  await expect
    .poll(() => exporting.getByText('Export finished').isVisible(), { timeout: 60_000 })
    .toBe(true);
  const waiting = exporting.getByRole('group', { name: 'Drafts waiting to be published' });
  await waiting.waitFor();
  expect(
    await waiting.getByText('A draft is waiting in Zenodo', { exact: false }).isVisible(),
  ).toBe(true);
  expect(await exporting.getByRole('link', { name: DOI }).count()).toBe(0);
  await shot('journey-4-draft-waiting');
  await screenshotOf(waiting, 'guide-draft-waiting');

  await waiting.getByRole('button', { name: 'Publish the draft' }).click();
  await expect
    .poll(() => exporting.getByRole('link', { name: DOI }).isVisible(), { timeout: 60_000 })
    .toBe(true);
  expect(await exporting.locator('dt:text-is("Version") + dd').textContent()).toBe('1');
  await expect.poll(() => waiting.count()).toBe(0);
}, 120_000);

test('an export started elsewhere (another tab) shows here, with Cancel, until it ends', async () => {
  const contextId = await toZenodo('Harbour survey, second tab', 'survey');
  await describe('Harbour survey, started in another tab');
  const metadata = page.getByRole('region', { name: 'Metadata' });
  await metadata.getByRole('button', { name: 'Save metadata' }).click();
  await metadata.getByText('Metadata saved.').waitFor();
  const ready = await session.ask(`/api/contexts/${contextId}`);
  const marked = await session.ask(`/api/contexts/${contextId}/status`, {
    method: 'PUT',
    headers: { 'if-match': String(ready.headers.etag) },
    json: { status: 'ready' },
  });
  expect(marked.status, marked.text).toBe(200);
  const exporting = page.getByRole('region', { name: 'Export' });
  const held = zenodo.faults.holdUploads();
  try {
    const started = await session.ask('/api/exports', { method: 'POST', json: { contextId } });
    expect(started.status, started.text).toBe(202);
    await expect
      .poll(() => exporting.getByRole('button', { name: 'Cancel export' }).isVisible(), {
        timeout: 15_000,
      })
      .toBe(true);
    expect(await exporting.getByText('Exporting…').isVisible()).toBe(true);
  } finally {
    held.release();
  }
  await expect
    .poll(() => exporting.getByRole('link', { name: DOI }).isVisible(), { timeout: 60_000 })
    .toBe(true);
}, 120_000);

test('a reload during a large export shows its progress by bytes, and Cancel still works', async () => {
  const contextId = await toZenodo('Seabed sonar', 'sonar');
  await describe('Seabed sonar, Harbour 2024');
  const metadata = page.getByRole('region', { name: 'Metadata' });
  await metadata.getByRole('button', { name: 'Save metadata' }).click();
  await metadata.getByText('Metadata saved.').waitFor();
  const exporting = page.getByRole('region', { name: 'Export' });
  const held = zenodo.faults.holdUploads();
  try {
    await exporting.getByRole('button', { name: 'Export now' }).click();
    await expect.poll(() => held.waiting(), { timeout: 30_000 }).toBe(4);

    await page.reload();
    const progress = exporting.locator('label[for="export-progress"]');
    // Bytes of the one file under way, not finished files; with the rate and the time left.
    await expect
      .poll(() => progress.textContent(), { timeout: 15_000 })
      .toMatch(
        /^\d+ % · [\d.]+ (bytes|KB|MB) of 16 MB · 0 of 6 files · [\d.]+ (bytes|KB|MB)\/s · about \d+ (s|min|h) left$/,
      );
    expect(await exporting.getByText('/sonar/seabed.raw: ', { exact: false }).isVisible()).toBe(
      true,
    );
    expect(await exporting.getByText('Exporting…').isVisible()).toBe(true);
    expect(await exporting.getByRole('button', { name: 'Export now' }).isDisabled()).toBe(true);
    await shot('journey-5-reloaded-while-exporting');
    await screenshotOf(exporting, 'guide-progress');
    await exporting.getByRole('button', { name: 'Cancel export' }).click();
    await expect
      .poll(() => exporting.getByText(/^Cancelling…/).isVisible(), { timeout: 15_000 })
      .toBe(true);
  } finally {
    held.release();
  }
  await expect
    .poll(() => exporting.getByText(/^Export cancelled$/).isVisible(), { timeout: 120_000 })
    .toBe(true);
  const context = await session.ask(`/api/contexts/${contextId}`);
  expect(context.json<{ status: string }>().status).toBe('ready');
  // The history, too, shows the export as it ended.
  const history = page.getByRole('region', { name: 'History' });
  await expect.poll(() => history.getByText(/: cancelled/).isVisible()).toBe(true);
}, 240_000);
