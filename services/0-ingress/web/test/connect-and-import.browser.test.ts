/**
 * Two things a researcher does in Debian's Chromium against the real app, signed in through an
 * OpenID provider (each test as its own user, in its own browser context):
 * - connecting a service with OAuth2: Connect → the service's own sign-in and consent pages (a
 *   second real OAuth2 provider, showing pages a person clicks through) → back in RDS, connected;
 *   declining there instead; disconnecting;
 * - importing a folder's RO-Crate (ro-crate-metadata.json) into the metadata form, and saving it;
 *   a folder without one.
 * Screenshots go to test-artifacts/web/.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { bearer, call } from '@rds/kit/testing';
import { freePort, launchChromium, startProvider, type TestProvider } from '@rds/test-peers';
import { ensureUi } from '../src/index.ts';
import { contextWithFolder } from './pages.ts';
import { screenshot } from './screenshots.ts';
import { signInThrough, startStack, type Stack } from './stack.ts';

/** The service connected with OAuth2: a repository whose authorization server is `archive`. */
const SERVICE = 'institutional-archive';
const DISPLAY_NAME = 'Institutional archive';
/** A folder of the local folder holding a crate described elsewhere (Describo, say). */
const DESCRIBED = 'coral-survey';
/** A folder whose crate's title is longer than RDS's 500 characters. */
const LONG_TITLE = 'reef-transects';
const ORCID = 'https://orcid.org/0000-0002-1825-0097';
const CC_BY = 'https://creativecommons.org/licenses/by/4.0/';

let identity: TestProvider;
let archive: TestProvider;
let stack: Stack;
let browser: Browser;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  // Chromium starts while the services do.
  const launching = launchChromium();
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  [identity, archive] = await Promise.all([
    startProvider({ redirectUri: `${url}/auth/callback` }),
    startProvider({ redirectUri: `${url}/connect/callback`, clientId: 'rds', pages: true }),
    ensureUi(),
  ]);
  stack = await startStack({
    webEnv: signInThrough(identity, port),
  });
  // Registered by its operator, as a port registers itself: users connect it with OAuth2.
  const registered = await call(`${stack.tokenStorage}/service`, {
    method: 'POST',
    headers: bearer({ issuer: 'operator', audience: 'token-storage' }),
    json: {
      servicename: SERVICE,
      implements: ['repository'],
      displayName: DISPLAY_NAME,
      authorize_url: archive.authorizeUrl,
      refresh_url: archive.tokenUrl,
      revocation_url: archive.revocationUrl,
      client_id: archive.clientId,
      client_secret: archive.clientSecret,
      scope: 'openid offline_access',
    },
  });
  expect(registered.status).toBe(200);

  // In the test's copy of the sample data, never in sample-data/ itself: the folders of the users
  // who import below.
  stack.folderOf('lin');
  const files = stack.folderOf('josiah');
  mkdirSync(join(files, DESCRIBED));
  writeFileSync(join(files, DESCRIBED, 'transects.csv'), 'transect,cover\n1,0.42\n');
  writeCrate(
    join(files, DESCRIBED),
    {
      name: 'Coral cover, Great Barrier Reef 2023',
      description: 'Line transects of live coral cover.',
      datePublished: '2024-03-15',
      author: [{ '@id': ORCID }],
      license: { '@id': CC_BY },
      hasPart: [{ '@id': 'transects.csv' }],
    },
    [
      { '@id': 'transects.csv', '@type': 'File', encodingFormat: 'text/csv' },
      {
        '@id': ORCID,
        '@type': 'Person',
        name: 'Josiah Carberry',
        givenName: 'Josiah',
        familyName: 'Carberry',
      },
      { '@id': CC_BY, '@type': 'CreativeWork', name: 'CC BY 4.0' },
    ],
  );
  mkdirSync(join(files, LONG_TITLE));
  writeCrate(join(files, LONG_TITLE), {
    name: `Reef transects ${'along the outer reef '.repeat(30)}`,
    description: 'Transects, as a field notebook names them.',
  });
  browser = await launching;
}, 180_000);

afterAll(async () => {
  for (const context of contexts) await context.close();
  await browser?.close();
  await stack?.close();
  await archive?.close();
  await identity?.close();
});

/** An RO-Crate 1.1 in `folder`, as a tool elsewhere leaves one: its root and other entities. */
function writeCrate(folder: string, root: object, entities: object[] = []): void {
  const crate = {
    '@context': 'https://w3id.org/ro/crate/1.1/context',
    '@graph': [
      {
        '@id': 'ro-crate-metadata.json',
        '@type': 'CreativeWork',
        conformsTo: { '@id': 'https://w3id.org/ro/crate/1.1' },
        about: { '@id': './' },
      },
      { '@id': './', '@type': 'Dataset', ...root },
      ...entities,
    ],
  };
  writeFileSync(join(folder, 'ro-crate-metadata.json'), JSON.stringify(crate, null, 2));
}

/** A fresh browser (its own cookies and storage), signed in to RDS as `user`. */
async function signedIn(user: string): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
  contexts.push(context);
  const page = await context.newPage();
  await page.goto(stack.url);
  await page.getByRole('button', { name: 'Sign in' }).waitFor();
  // The identity provider signs `user` in at once and sends the browser back.
  await page.goto(`${stack.url}/auth/login?login_hint=${user}`);
  await expect.poll(() => page.getByRole('navigation', { name: 'Main' }).isVisible()).toBe(true);
  return { context, page };
}

/** The access token token-storage keeps for `user`'s connection, if any. */
async function storedToken(user: string): Promise<string | undefined> {
  const answer = await call(`${stack.tokenStorage}/connections/${SERVICE}/token`, {
    headers: bearer({ issuer: SERVICE, audience: 'token-storage', user }),
  });
  return answer.status === 200 ? answer.json<{ access_token: string }>().access_token : undefined;
}

/** Connected services → Connect → the service's sign-in page, where `user` signs in. */
async function connectAndSignIn(page: Page, user: string, shot?: string): Promise<void> {
  await page.getByRole('link', { name: 'Connected services' }).click();
  const card = page.getByRole('listitem', { name: DISPLAY_NAME });
  await expect.poll(() => card.getByText('Not connected', { exact: true }).isVisible()).toBe(true);
  await card.getByRole('button', { name: `Connect ${DISPLAY_NAME}`, exact: true }).click();
  // The service's own pages, on its own site.
  await expect.poll(() => page.getByRole('heading', { name: 'Sign in' }).isVisible()).toBe(true);
  expect(page.url().startsWith(`${archive.issuer}/`)).toBe(true);
  await page.getByLabel('User name').fill(user);
  if (shot) await screenshot(page, `${shot}-provider-sign-in`);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect
    .poll(() => page.getByRole('heading', { name: 'Authorize access' }).isVisible())
    .toBe(true);
  // What RDS asks for: a refresh token too (offline_access), so that the connection lasts.
  expect(await page.getByRole('listitem').allTextContents()).toEqual(['openid', 'offline_access']);
  if (shot) await screenshot(page, `${shot}-provider-consent`);
}

test('connect a service with OAuth2: its sign-in and consent pages, back in RDS connected; disconnect', async () => {
  const user = 'ada';
  const { context, page } = await signedIn(user);
  await connectAndSignIn(page, user, 'oauth-1');
  await page.getByRole('button', { name: 'Allow' }).click();

  // Back in RDS, on Connected services, with the service connected.
  await expect.poll(() => page.url()).toBe(`${stack.url}/#/services?connected=${SERVICE}`);
  const card = page.getByRole('listitem', { name: DISPLAY_NAME });
  await expect.poll(() => card.getByText('Connected', { exact: true }).isVisible()).toBe(true);
  expect(await page.getByRole('status').textContent()).toBe(`Connected ${DISPLAY_NAME}.`);
  expect(
    await card.getByRole('button', { name: `Connect ${DISPLAY_NAME}`, exact: true }).count(),
  ).toBe(0);
  await screenshot(page, 'oauth-2-connected');

  // token-storage keeps a token the service accepts, as this user…
  const token = await storedToken(user);
  expect(token).toBeTruthy();
  expect(await archive.userinfo(token!)).toBe(user);
  // …and the browser never sees it: not in the page, the address, storage or any cookie.
  expect(await page.content()).not.toContain(token);
  expect(page.url()).not.toMatch(/[?&]code=/);
  // Every site's cookies and local storage (RDS's, both providers'), and RDS's session storage.
  const state = await context.storageState();
  expect(state.cookies.length).toBeGreaterThan(0);
  expect(JSON.stringify(state)).not.toContain(token);
  const session = await page.evaluate<string>('JSON.stringify({ ...sessionStorage })');
  expect(session).not.toContain(token);
  // What the browser can ask RDS for says connected, and carries no token either.
  const services = await page.request.get(`${stack.url}/api/services`);
  expect(await services.text()).not.toContain(token);
  const entry = ((await services.json()) as { services: CatalogueEntry[] }).services.find(
    (s) => s.servicename === SERVICE,
  );
  expect(entry?.connection.state).toBe('connected');

  // The connection outlives its access token: refreshed as a port asks after a 401, it is a
  // new token for the same user, and the service is still connected.
  const refreshed = await call(`${stack.tokenStorage}/connections/${SERVICE}/token/refresh`, {
    method: 'POST',
    headers: bearer({ issuer: SERVICE, audience: 'token-storage', user }),
    json: { rejected_access_token: token },
  });
  expect(refreshed.status).toBe(200);
  const renewed = refreshed.json<{ access_token: string }>().access_token;
  expect(renewed).not.toBe(token);
  expect(await archive.userinfo(renewed)).toBe(user);
  await page.reload();
  await expect.poll(() => card.getByText('Connected', { exact: true }).isVisible()).toBe(true);

  await card.getByRole('button', { name: `Disconnect ${DISPLAY_NAME}` }).click();
  await expect.poll(() => card.getByText('Not connected', { exact: true }).isVisible()).toBe(true);
  expect(await page.getByRole('status').textContent()).toBe(`Disconnected ${DISPLAY_NAME}.`);
  expect(
    await card.getByRole('button', { name: `Connect ${DISPLAY_NAME}`, exact: true }).isVisible(),
  ).toBe(true);
  await screenshot(page, 'oauth-3-disconnected');
  // Gone from token-storage, and revoked at the service.
  expect(await storedToken(user)).toBeUndefined();
  expect(await archive.userinfo(renewed)).toBeUndefined();
}, 60_000);

test('declining at the service: RDS says so and connects nothing', async () => {
  const user = 'grace';
  const { page } = await signedIn(user);
  await connectAndSignIn(page, user);
  await page.getByRole('button', { name: 'Deny' }).click();

  await expect.poll(() => page.url().startsWith(`${stack.url}/#/services?error=`)).toBe(true);
  const alert = page.getByRole('alert');
  await expect.poll(() => alert.isVisible()).toBe(true);
  expect(await alert.textContent()).toBe(`The connection to ${DISPLAY_NAME} was declined.`);
  const card = page.getByRole('listitem', { name: DISPLAY_NAME });
  await expect.poll(() => card.getByText('Not connected', { exact: true }).isVisible()).toBe(true);
  expect(
    await card.getByRole('button', { name: `Connect ${DISPLAY_NAME}`, exact: true }).isVisible(),
  ).toBe(true);
  await screenshot(page, 'oauth-4-declined');
  expect(await storedToken(user)).toBeUndefined();
}, 60_000);

interface CatalogueEntry {
  servicename: string;
  connection: { state: string };
}

test("import a folder's RO-Crate into the metadata form, then save it", async () => {
  const { page } = await signedIn('josiah');
  const contextId = await contextWithFolder(page, 'Coral cover', DESCRIBED);
  const metadata = page.getByRole('region', { name: 'Metadata' });
  await metadata.getByRole('button', { name: 'Import from RO-Crate' }).click();
  await expect
    .poll(() => metadata.getByRole('status').textContent())
    .toBe('Imported from the folder’s RO-Crate; check it, then save.');

  // The form shows the crate's description as a user reads it.
  const field = (label: string) => metadata.getByLabel(label, { exact: true });
  expect(await field('Title').inputValue()).toBe('Coral cover, Great Barrier Reef 2023');
  expect(await field('Description').inputValue()).toBe('Line transects of live coral cover.');
  expect(await field('Publication date').inputValue()).toBe('2024-03-15');
  const creator = metadata.getByRole('group', { name: 'Creator 1' });
  expect(await creator.getByLabel('Name (required)', { exact: true }).inputValue()).toBe(
    'Carberry, Josiah',
  );
  expect(await creator.getByLabel('ORCID', { exact: true }).inputValue()).toBe(
    '0000-0002-1825-0097',
  );
  expect(await metadata.getByRole('group', { name: 'Creator 2' }).count()).toBe(0);
  const license = metadata.getByRole('group', { name: 'License' });
  expect(await license.getByLabel('ID (required)', { exact: true }).inputValue()).toBe('CC-BY-4.0');
  await screenshot(page, 'ro-crate-1-imported');

  await metadata.getByRole('button', { name: 'Save metadata' }).click();
  await expect.poll(() => metadata.getByText('Metadata saved.').isVisible()).toBe(true);
  // Stored as imported: read back, and shown again after a reload.
  const answer = await page.request.get(`${stack.url}/api/contexts/${contextId}`);
  expect(answer.status()).toBe(200);
  expect(((await answer.json()) as { metadata: unknown }).metadata).toEqual({
    title: 'Coral cover, Great Barrier Reef 2023',
    description: 'Line transects of live coral cover.',
    publicationDate: '2024-03-15',
    resourceType: 'dataset',
    creators: [
      {
        name: 'Carberry, Josiah',
        nameType: 'Personal',
        givenName: 'Josiah',
        familyName: 'Carberry',
        orcid: '0000-0002-1825-0097',
      },
    ],
    license: { id: 'CC-BY-4.0', url: CC_BY },
  });
  await page.reload();
  await expect.poll(() => field('Title').inputValue()).toBe('Coral cover, Great Barrier Reef 2023');
  await screenshot(page, 'ro-crate-2-saved');
}, 60_000);

test('a crate field RDS cannot take is named, and left for the user to fill in', async () => {
  const { page } = await signedIn('josiah');
  await contextWithFolder(page, 'Reef transects', LONG_TITLE);
  const metadata = page.getByRole('region', { name: 'Metadata' });
  await metadata.getByRole('button', { name: 'Import from RO-Crate' }).click();
  await expect
    .poll(() => metadata.getByRole('status').textContent())
    .toBe(
      'Imported from the folder’s RO-Crate, except Title: RDS could not take what the crate ' +
        'says there (too long, say). Fill it in here, check the rest, then save.',
    );
  expect(await metadata.getByLabel('Title', { exact: true }).inputValue()).toBe('');
  expect(await metadata.getByLabel('Description', { exact: true }).inputValue()).toBe(
    'Transects, as a field notebook names them.',
  );
}, 60_000);

test('a folder without an RO-Crate: the panel says so and keeps what the user typed', async () => {
  const { page } = await signedIn('lin');
  await contextWithFolder(page, 'Ocean temperatures', 'ocean-temperatures');
  const metadata = page.getByRole('region', { name: 'Metadata' });
  const title = metadata.getByLabel('Title', { exact: true });
  await title.fill('North Sea temperatures, my draft');
  await metadata.getByRole('button', { name: 'Add creator' }).click();
  const creatorName = metadata
    .getByRole('group', { name: 'Creator 1' })
    .getByLabel('Name (required)', { exact: true });
  await creatorName.fill('Lin, Mei');
  await metadata.getByRole('button', { name: 'Import from RO-Crate' }).click();
  await expect
    .poll(() => metadata.getByRole('status').textContent())
    .toBe('There is no RO-Crate (ro-crate-metadata.json) in /ocean-temperatures.');
  expect(await title.inputValue()).toBe('North Sea temperatures, my draft');
  expect(await creatorName.inputValue()).toBe('Lin, Mei');
  await screenshot(page, 'ro-crate-3-none');
}, 60_000);
