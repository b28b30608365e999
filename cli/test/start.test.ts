/**
 * A new user's first run: `rds start` (start() here) on a fresh data folder, then the browser
 * clicks through exporting the sample dataset to the local archive, signed in as the local user
 * without any account anywhere.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { launchChromium } from '@rds/test-peers';
import { start, type Started } from '../src/start.ts';

let dataDir: string;
let started: Started;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'rds-start-'));
  // The embedded default as it is, whatever this machine's environment says (no PostgreSQL).
  started = await start({ dataDir, env: { LOG_LEVEL: 'silent' }, port: 0 });
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
}, 180_000);

afterAll(async () => {
  await browser?.close();
  for (const service of [...(started?.services ?? [])].reverse()) await service.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

/** Every file under a folder, relative to it. */
function filesUnder(folder: string): string[] {
  return readdirSync(folder, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name).slice(folder.length + 1));
}

test('the embedded default: sign in locally and export the sample dataset to the local archive', async () => {
  expect(started.urls.web).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  await page.goto(started.urls.web!);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect.poll(() => page.getByText('Local user').isVisible()).toBe(true);

  await page.getByLabel('Name', { exact: true }).fill('Sample dataset');
  await page.getByRole('button', { name: 'Create context' }).click();
  await expect
    .poll(() => page.getByRole('heading', { name: 'Sample dataset' }).isVisible())
    .toBe(true);

  const sources = page.getByRole('region', { name: 'Sources' });
  await sources.getByRole('button', { name: 'Open ocean-temperatures' }).click();
  await sources.getByRole('button', { name: 'Use folder /ocean-temperatures' }).click();
  await expect
    .poll(() => sources.getByText('local-folder: folder /ocean-temperatures').isVisible())
    .toBe(true);
  const targets = page.getByRole('region', { name: 'Targets' });
  await targets.getByRole('button', { name: 'Add target' }).click();
  await expect.poll(() => targets.getByText(/local-archive: publish/).isVisible()).toBe(true);

  const metadata = page.getByRole('region', { name: 'Metadata' });
  await metadata.getByLabel('Title', { exact: true }).fill('Ocean temperatures (sample)');
  await metadata.getByRole('button', { name: 'Add creator' }).click();
  await metadata.getByLabel('Name (required)', { exact: true }).fill('Lovelace, Ada');
  await metadata.getByLabel('Publication date', { exact: true }).fill('2024-06-01');
  await metadata.getByRole('button', { name: 'Save metadata' }).click();
  await expect.poll(() => metadata.getByText('Metadata saved.').isVisible()).toBe(true);

  const exporting = page.getByRole('region', { name: 'Export' });
  await exporting.getByRole('button', { name: 'Export now' }).click();
  await expect
    .poll(() => exporting.getByRole('progressbar').getAttribute('value'), { timeout: 60_000 })
    .toBe('100');
  await expect.poll(() => exporting.getByText('Export finished').isVisible()).toBe(true);
  await expect.poll(() => exporting.getByText(/local-archive: done/).isVisible()).toBe(true);

  // The bag in the archive holds the sample files.
  const archived = filesUnder(join(dataDir, 'archive'));
  for (const name of ['readings.csv', 'stations.csv'])
    expect(
      archived.some((path) => path.endsWith(name)),
      name,
    ).toBe(true);
}, 180_000);
