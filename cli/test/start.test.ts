/**
 * A new user's first run: `rds start` (start() here) on a fresh data folder, then the browser
 * clicks through exporting the sample dataset to the local archive, signed in as the local user
 * without any account anywhere; then a second `rds start` on the same data folder.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { call } from '@rds/kit/testing';
import { launchChromium } from '@rds/test-peers';
import { start, type Started } from '../src/start.ts';

const RDS = fileURLToPath(new URL('../../bin/rds', import.meta.url));
const run = promisify(execFile);

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

test('the sample dataset is the local user’s: in their own folder of local-folder, no one else’s', () => {
  const files = join(dataDir, 'files');
  expect(readdirSync(files).sort()).toEqual(['.rds-layout', 'default']);
  expect(readdirSync(join(files, 'default'))).toEqual(['local']);
  expect(filesUnder(join(files, 'default', 'local'))).toEqual(
    expect.arrayContaining([expect.stringMatching(/^ocean-temperatures\//)]),
  );
});

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
    .poll(() =>
      sources.getByText('Folder on this server: /ocean-temperatures', { exact: true }).isVisible(),
    )
    .toBe(true);
  const targets = page.getByRole('region', { name: 'Targets' });
  await targets.getByRole('button', { name: 'Add target' }).click();
  await expect
    .poll(() => targets.getByRole('heading', { name: 'Archive on this server' }).isVisible())
    .toBe(true);

  const metadata = page.getByRole('region', { name: 'Metadata' });
  await metadata.getByLabel('Title', { exact: true }).fill('Ocean temperatures (sample)');
  await metadata.getByRole('button', { name: 'Add creator' }).click();
  await metadata.getByLabel('Name (required)', { exact: true }).fill('Lovelace, Ada');
  await metadata.getByLabel('Publication date', { exact: true }).fill('2024-06-01');
  // An RO-Crate needs a licence: the archive takes nothing without one.
  await metadata
    .getByRole('group', { name: 'License' })
    .getByLabel('ID (required)', { exact: true })
    .fill('CC-BY-4.0');
  await metadata.getByRole('button', { name: 'Save metadata' }).click();
  await expect.poll(() => metadata.getByText('Metadata saved.').isVisible()).toBe(true);

  const exporting = page.getByRole('region', { name: 'Export' });
  await exporting.getByRole('button', { name: 'Export now' }).click();
  await expect
    .poll(() => exporting.getByRole('progressbar').getAttribute('value'), { timeout: 60_000 })
    .toBe('100');
  await expect.poll(() => exporting.getByText('Export finished').isVisible()).toBe(true);
  await expect
    .poll(() =>
      exporting.getByRole('listitem').filter({ hasText: 'Archive on this server' }).textContent(),
    )
    .toMatch(/^Archive on this server: done/);

  // The bag in the archive holds the sample files.
  const archived = filesUnder(join(dataDir, 'archive'));
  for (const name of ['readings.csv', 'stations.csv'])
    expect(
      archived.some((path) => path.endsWith(name)),
      name,
    ).toBe(true);
}, 180_000);

// In another terminal, say: the embedded databases take one process at a time (a second writer
// loses rows silently), so the second start is refused with what to do; the first goes on.
test('a second rds start on the same data folder is refused, saying why and what to do', async () => {
  const second = await run(process.execPath, [RDS, 'start', '--data-dir', dataDir, '--port', '0'], {
    env: { ...process.env, LOG_LEVEL: 'silent' },
  }).then(
    () => ({ code: 0, stderr: '' }),
    (error: { code: number; stderr: string }) => error,
  );
  expect(second.code).toBe(1);
  // One line the user can act on, not a stack trace.
  expect(second.stderr.trim().split('\n')).toEqual([
    expect.stringMatching(
      new RegExp(
        `^rds: The database in .*token-storage is in use by process ${process.pid}, .*` +
          'Stop the other RDS \\(another `rds start`, say\\), or give this one another data folder',
      ),
    ),
  ]);
  expect(second.stderr).not.toMatch(/\n\s+at /);
  // The first one still serves.
  expect((await call(`${started.urls.web}/health/ready`)).status).toBe(200);
}, 120_000);
