/**
 * The researcher's path in Debian's Chromium against the real app: sign in through an OpenID
 * provider, connect a WebDAV storage (Apache mod_dav) and Zenodo (the InvenioRDM fake, personal
 * token), create a context, pick a folder, describe it (meeting a validation error first),
 * export, watch the progress reach 100 % and see the DOI. Screenshots of the main screens go to
 * test-artifacts/web/.
 */
import { cpSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import {
  freePort,
  launchChromium,
  startApache,
  startFakeInvenio,
  startProvider,
  type ApacheDav,
  type FakeInvenio,
  type TestProvider,
} from '@rds/test-peers';
import { ensureUi } from '../src/index.ts';
import { screenshot } from './screenshots.ts';
import { SAMPLE_DATA, signInThrough, startStack, type Stack } from './stack.ts';

const SERVER_USER = 'ada.lovelace';
const PASSWORD = 'app-password';

let apache: ApacheDav;
let zenodo: FakeInvenio;
let provider: TestProvider;
let stack: Stack;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  await ensureUi();
  apache = await startApache(SERVER_USER, PASSWORD);
  cpSync(SAMPLE_DATA, apache.files, { recursive: true });
  apache.own();
  zenodo = await startFakeInvenio();
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  provider = await startProvider({ redirectUri: `${url}/auth/callback` });
  stack = await startStack({
    apache,
    zenodo,
    webEnv: signInThrough(provider, port),
  });
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await stack?.close();
  await provider?.close();
  await zenodo?.close();
  await apache?.stop();
});

const shot = (name: string) => screenshot(page, name);

test('sign in, connect WebDAV and Zenodo, describe, export to Zenodo and see the DOI', async () => {
  await page.goto(stack.url);
  await page.getByRole('button', { name: 'Sign in' }).click();
  // The provider signs the user in and sends the browser back, signed in.
  await expect.poll(() => page.getByRole('navigation', { name: 'Main' }).isVisible()).toBe(true);

  await page.getByRole('link', { name: 'Connected services' }).click();
  const dav = page.getByRole('listitem', { name: 'ownCloud / Nextcloud (WebDAV)' });
  await dav.getByLabel('User name', { exact: true }).fill(SERVER_USER);
  await dav.getByLabel('Password or app password', { exact: true }).fill(PASSWORD);
  await dav.getByRole('button', { name: /^Connect/ }).click();
  await expect.poll(() => dav.getByText('Connected', { exact: true }).isVisible()).toBe(true);
  const repository = page.getByRole('listitem', { name: 'Zenodo' });
  await repository.getByLabel('Access token', { exact: true }).fill(zenodo.addUser('someone'));
  await repository.getByRole('button', { name: 'Connect Zenodo' }).click();
  await expect
    .poll(() => repository.getByText('Connected', { exact: true }).isVisible())
    .toBe(true);
  await shot('1-connected-services');

  // The listing of the storage offered first (the local folder) answers late, as it can under
  // load: it must not replace the listing of the storage the user has chosen since.
  let answerLate!: () => void;
  const late = new Promise<void>((resolve) => (answerLate = resolve));
  await page.route('**/api/storage/local-folder/folder?*', async (route) => {
    await late;
    await route.continue();
  });

  await page.getByRole('link', { name: 'Research contexts' }).click();
  await page.getByLabel('Name', { exact: true }).fill('Ocean temperatures 2024');
  await page.getByRole('button', { name: 'Create context' }).click();
  await expect
    .poll(() => page.getByRole('heading', { name: 'Ocean temperatures 2024' }).isVisible())
    .toBe(true);

  const sources = page.getByRole('region', { name: 'Sources' });
  await sources.getByLabel('Storage', { exact: true }).selectOption('webdav');
  const open = sources.getByRole('button', { name: 'Open ocean-temperatures' });
  await open.waitFor();
  const lateAnswer = page.waitForResponse('**/api/storage/local-folder/folder?*');
  answerLate();
  await lateAnswer;
  await page.unroute('**/api/storage/local-folder/folder?*');
  // What is to be shown is that nothing changes, so the page is given time to change: 0.5 s
  // (without the guard, the stale listing replaced WebDAV's well within it).
  await page.waitForTimeout(500);
  expect(await open.isVisible()).toBe(true);
  await open.click();
  await sources.getByRole('button', { name: 'Use folder /ocean-temperatures' }).click();
  await expect
    .poll(() =>
      sources
        .getByText('ownCloud / Nextcloud (WebDAV): /ocean-temperatures', { exact: true })
        .isVisible(),
    )
    .toBe(true);

  const targets = page.getByRole('region', { name: 'Targets' });
  await targets.getByLabel('Repository', { exact: true }).selectOption('zenodo');
  await targets.getByLabel('Publication', { exact: true }).selectOption('publish');
  await targets.getByRole('button', { name: 'Add target' }).click();
  await expect.poll(() => targets.getByRole('heading', { name: 'Zenodo' }).isVisible()).toBe(true);
  await shot('2-context');

  const metadata = page.getByRole('region', { name: 'Metadata' });
  await metadata.getByLabel('Title', { exact: true }).fill('Ocean temperatures, North Sea 2024');
  await metadata
    .getByLabel('Description', { exact: true })
    .fill('Hourly sea surface temperatures.');
  await metadata.getByLabel('Publication date', { exact: true }).fill('2024-06-01');
  await metadata.getByLabel('Resource type', { exact: true }).selectOption('dataset');
  await metadata.getByRole('button', { name: 'Add creator' }).click();
  const creator = metadata.getByRole('group', { name: 'Creator 1' });
  await creator.getByLabel('Name (required)', { exact: true }).fill('Lovelace, Ada');
  await creator.getByLabel('ORCID', { exact: true }).fill('0000-0002-1825');
  await metadata
    .getByRole('group', { name: 'License' })
    .getByLabel('ID (required)', { exact: true })
    .fill('CC-BY-4.0');
  await metadata.getByRole('button', { name: 'Save metadata' }).click();
  // The ORCID is incomplete: the form says so next to it, and nothing is saved.
  const orcid = creator.getByLabel('ORCID', { exact: true });
  await expect.poll(() => orcid.getAttribute('aria-invalid')).toBe('true');
  expect(await creator.getByText('Not in the form expected here.').isVisible()).toBe(true);
  await expect
    .poll(() => metadata.getByRole('alert').textContent())
    .toBe('Not saved: correct Creator 1 › ORCID.');
  await shot('3-metadata-error');

  await orcid.fill('0000-0002-1825-0097');
  await metadata.getByRole('button', { name: 'Save metadata' }).click();
  await expect.poll(() => metadata.getByText('Metadata saved.').isVisible()).toBe(true);
  await expect
    .poll(() => metadata.getByText('Zenodo accepts this metadata.').isVisible())
    .toBe(true);
  expect(await orcid.getAttribute('aria-invalid')).toBeNull();

  const exporting = page.getByRole('region', { name: 'Export' });
  await exporting.getByRole('button', { name: 'Export now' }).click();
  const bar = exporting.getByRole('progressbar');
  await expect.poll(() => bar.getAttribute('value'), { timeout: 60_000 }).toBe('100');
  await expect
    .poll(() => exporting.getByText('Export finished').isVisible(), { timeout: 30_000 })
    .toBe(true);
  const doi = exporting.getByRole('link', { name: /^10\.5281\/zenodo\.\d+$/ });
  expect(await doi.textContent()).toMatch(/^10\.5281\/zenodo\.\d+$/);
  await shot('4-exported');

  // The history keeps the run, with its DOI.
  const history = page.getByRole('region', { name: 'History' });
  await expect.poll(() => history.getByText(/DOI 10\.5281\/zenodo\.\d+/).isVisible()).toBe(true);
}, 240_000);
