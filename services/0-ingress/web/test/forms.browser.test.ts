/**
 * The screens as a new user meets them, in Debian's Chromium against the real app, signed in as
 * the embedded default's local user, from the local folder to the local archive: the list of
 * contexts (long names, a narrow screen, deleted contexts, deleting), and the context page's
 * words and messages (display names, errors at their fields in words, a conflict with a way out,
 * unsaved changes kept from being lost). Screenshots go to test-artifacts/web/.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { launchChromium } from '@rds/test-peers';
import { ensureUi } from '../src/index.ts';
import { contextWithFolder } from './pages.ts';
import { screenshot, screenshotOf } from './screenshots.ts';
import { signInLocally, type Browser as Session } from './session.ts';
import { startStack, type Stack } from './stack.ts';

let stack: Stack;
let session: Session;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  await ensureUi();
  stack = await startStack();
  session = await signInLocally(stack.url);
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
  await page.goto(stack.url);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByText('Local user').waitFor();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

/** A context made through the API, as another tab would. */
async function created(name: string): Promise<string> {
  const answer = await session.ask('/api/contexts', { method: 'POST', json: { name } });
  expect(answer.status, answer.text).toBe(201);
  return answer.json<{ id: string }>().id;
}

/** An input with a datalist, as far as these tests read it (the DOM's types are not in scope here). */
type WithSuggestions = { list: { options: ArrayLike<{ label: string; value: string }> } | null };

/** How far the page reaches beyond the window's width, in pixels (0: it fits). */
const overflow = () =>
  page.evaluate<number>(
    'document.documentElement.scrollWidth - document.documentElement.clientWidth',
  );

test('long names wrap, a phone-sized screen shows everything, deleted contexts show beside the others, delete asks', async () => {
  // 200 characters without a space, as a pasted identifier or a German compound can be.
  const long = 'Meeresoberflächentemperaturmessreihe'.repeat(6).slice(0, 200);
  await created(long);
  const kept = await created('Harbour survey 2024');
  await page.getByRole('link', { name: 'Research contexts', exact: true }).click();
  await page.reload();
  const card = page.getByRole('listitem', { name: 'Harbour survey 2024' });
  await card.waitFor();
  await expect.poll(() => page.getByRole('listitem', { name: long }).isVisible()).toBe(true);
  expect(await overflow()).toBe(0);

  await page.setViewportSize({ width: 390, height: 844 });
  try {
    expect(await overflow()).toBe(0);
    const signOut = await page.getByRole('button', { name: 'Sign out' }).boundingBox();
    expect(signOut!.x).toBeGreaterThanOrEqual(0);
    expect(signOut!.x + signOut!.width).toBeLessThanOrEqual(390);
    await screenshot(page, 'forms-1-narrow-list');
    await page.getByRole('link', { name: long }).click();
    await page.getByRole('heading', { name: long }).waitFor();
    expect(await overflow()).toBe(0);
    await page.getByRole('link', { name: '← All research contexts' }).click();
    await card.waitFor();
  } finally {
    await page.setViewportSize({ width: 1366, height: 900 });
  }

  // Delete asks first; keeping it changes nothing.
  await card.getByRole('button', { name: 'Delete Harbour survey 2024' }).click();
  const question = card.getByRole('group', { name: 'Delete Harbour survey 2024?' });
  await expect.poll(() => question.isVisible()).toBe(true);
  await screenshot(page, 'forms-2-delete-asks');
  await screenshotOf(card, 'guide-delete-asks');
  expect((await session.ask(`/api/contexts/${kept}`)).json()).not.toHaveProperty('deletedAt');
  await question.getByRole('button', { name: 'Keep it' }).click();
  expect(await card.isVisible()).toBe(true);
  expect((await session.ask(`/api/contexts/${kept}`)).json()).not.toHaveProperty('deletedAt');

  await card.getByRole('button', { name: 'Delete Harbour survey 2024' }).click();
  await question.getByRole('button', { name: 'Yes, delete' }).click();
  await expect.poll(() => card.count()).toBe(0);
  expect((await session.ask(`/api/contexts/${kept}`)).json()).toHaveProperty('deletedAt');

  // Deleted contexts are shown beside the others, not instead of them.
  await page.getByLabel('Show deleted contexts').check();
  await expect.poll(() => card.getByText('Deleted', { exact: true }).isVisible()).toBe(true);
  expect(await card.getByRole('button', { name: 'Restore Harbour survey 2024' }).isVisible()).toBe(
    true,
  );
  expect(await page.getByRole('listitem', { name: long }).isVisible()).toBe(true);
  await screenshot(page, 'forms-3-deleted-beside');
}, 90_000);

test('the context page speaks of services by their names, and its messages appear where the user acted', async () => {
  await contextWithFolder(page, 'Words, not names', 'ocean-temperatures');
  const targets = page.getByRole('region', { name: 'Targets' });
  await targets.getByLabel('Repository', { exact: true }).selectOption('local-archive');
  const add = targets.getByRole('button', { name: 'Add target' });
  await add.click();
  const added = targets.getByRole('status');
  await expect.poll(() => added.textContent()).toBe('Added Archive on this server.');
  expect(await targets.getByRole('heading', { name: 'Archive on this server' }).isVisible()).toBe(
    true,
  );
  // The archive keeps folders: once its check is in, nothing asks how to send files in folders.
  await page.getByRole('list', { name: 'What each target says' }).waitFor();
  expect(await targets.getByText(/folders/i).count()).toBe(0);
  const sources = page.getByRole('region', { name: 'Sources' });
  expect(
    await sources
      .getByRole('button', { name: 'Remove Folder on this server: /ocean-temperatures' })
      .isVisible(),
  ).toBe(true);
  const text = await page.locator('article').innerText();
  expect(text).not.toMatch(/local-folder|local-archive/);
  // Help from the model shows code as code, not as backticks.
  expect(text).not.toContain('`');

  // "There is no RO-Crate" is something to know, not a success, and it is by the button.
  const metadata = page.getByRole('region', { name: 'Metadata' });
  const importing = metadata.getByRole('button', { name: 'Import from RO-Crate' });
  await importing.click();
  const none = metadata.getByText(
    'There is no RO-Crate (ro-crate-metadata.json) in /ocean-temperatures.',
  );
  await none.waitFor();
  expect(await none.getAttribute('class')).not.toMatch(/success/);
  const [button, message] = [await importing.boundingBox(), await none.boundingBox()];
  expect(Math.abs(message!.y - button!.y)).toBeLessThan(100);

  // Saved, but the archive needs a title: no success-green beside the red "needs changes".
  await metadata.getByLabel('Description', { exact: true }).fill('Hourly readings.');
  await metadata.getByRole('button', { name: 'Save metadata' }).click();
  await expect
    .poll(() =>
      metadata.getByText('Archive on this server needs changes', { exact: false }).isVisible(),
    )
    .toBe(true);
  expect(await metadata.getByText(/^Metadata saved/).textContent()).toBe(
    'Metadata saved. Before exporting, fix what is marked.',
  );
  expect(await metadata.locator('.success').count()).toBe(0);
  await screenshot(page, 'forms-4-saved-needs-changes');
}, 90_000);

test('errors are shown at their fields in words; a name of spaces is refused', async () => {
  await contextWithFolder(page, 'Errors at the fields', 'ocean-temperatures');
  const metadata = page.getByRole('region', { name: 'Metadata' });
  const save = metadata.getByRole('button', { name: 'Save metadata' });
  await metadata.getByRole('button', { name: 'Add creator' }).click();
  const creator = metadata.getByRole('group', { name: 'Creator 1' });
  const name = creator.getByLabel('Name (required)', { exact: true });
  await name.fill('   ');
  await save.click();
  await expect.poll(() => name.getAttribute('aria-invalid')).toBe('true');
  expect(await creator.getByText('This holds only spaces: type a value.').isVisible()).toBe(true);
  expect(await metadata.getByRole('alert').textContent()).toBe(
    'Not saved: correct Creator 1 › Name.',
  );

  await name.fill('Lovelace, Ada');
  const title = metadata.getByLabel('Title', { exact: true });
  await title.fill('North Sea '.repeat(303).slice(0, 3025));
  const language = metadata.getByLabel('Language', { exact: true });
  await language.fill('English');
  await save.click();
  await expect.poll(() => title.getAttribute('aria-invalid')).toBe('true');
  expect(await metadata.getByText('Too long: at most 500 characters.').isVisible()).toBe(true);
  expect(await language.getAttribute('aria-invalid')).toBe('true');
  expect(await metadata.getByRole('alert').textContent()).toMatch(/^Not saved: correct Title/);
  // The first field to correct has the focus.
  expect(await page.evaluate<string | undefined>('document.activeElement?.id')).toBe('field-title');
  expect(await page.locator('article').innerText()).not.toMatch(/must NOT|must match/);
  await screenshot(page, 'forms-5-field-errors');
  await screenshotOf(metadata.locator('.field').first(), 'guide-field-error');
  // What was typed is not saved: leaving asks, and this test lets it go.
  page.once('dialog', (dialog) => void dialog.accept());
  await page.getByRole('link', { name: '← All research contexts' }).click();
  await page.getByRole('heading', { name: 'Research contexts' }).waitFor();
}, 60_000);

test('licences and languages are offered from SPDX and ISO 639-3', async () => {
  await contextWithFolder(page, 'Vocabularies', 'ocean-temperatures');
  const metadata = page.getByRole('region', { name: 'Metadata' });
  const license = metadata.getByRole('group', { name: 'License' }).getByLabel('ID (required)');
  const language = metadata.getByLabel('Language', { exact: true });
  /** The suggestions of a field's list, as `value` or `value=label`. */
  const suggestions = (field: typeof license) =>
    field.evaluate((input) =>
      Array.from((input as unknown as WithSuggestions).list?.options ?? [], (o) =>
        o.label && o.label !== o.value ? `${o.value}=${o.label}` : o.value,
      ),
    );
  await expect.poll(async () => (await suggestions(license)).length).toBeGreaterThan(600);
  expect(await suggestions(license)).toEqual(
    expect.arrayContaining(['CC-BY-4.0', 'CC0-1.0', 'MIT', 'Apache-2.0']),
  );
  await expect.poll(async () => (await suggestions(language)).length).toBeGreaterThan(7000);
  expect(await suggestions(language)).toEqual(
    expect.arrayContaining(['eng=English', 'deu=German', 'epo=Esperanto']),
  );
}, 60_000);

test('a change someone else made meanwhile is said in words, with Reload', async () => {
  const contextId = await contextWithFolder(page, 'Changed elsewhere', 'ocean-temperatures');
  const read = await session.ask(`/api/contexts/${contextId}`);
  const renamed = await session.ask(`/api/contexts/${contextId}`, {
    method: 'PATCH',
    headers: { 'if-match': String(read.headers.etag) },
    json: { name: 'Changed in another tab' },
  });
  expect(renamed.status, renamed.text).toBe(200);

  const metadata = page.getByRole('region', { name: 'Metadata' });
  await metadata.getByLabel('Title', { exact: true }).fill('Mine');
  await metadata.getByRole('button', { name: 'Save metadata' }).click();
  const alert = metadata.getByRole('alert');
  await expect
    .poll(() => alert.textContent())
    .toBe('Someone changed this context since you opened it. Reload');
  expect(await page.locator('article').innerText()).not.toMatch(/If-Match/);
  await screenshot(page, 'forms-6-conflict');
  await alert.getByRole('button', { name: 'Reload' }).click();
  await expect
    .poll(() => page.getByRole('heading', { name: 'Changed in another tab' }).isVisible())
    .toBe(true);
}, 60_000);

test('leaving a page with unsaved changes asks first', async () => {
  await contextWithFolder(page, 'Unsaved changes', 'ocean-temperatures');
  const metadata = page.getByRole('region', { name: 'Metadata' });
  const title = metadata.getByLabel('Title', { exact: true });
  await title.fill('Typed, not saved');

  // Within the app: staying keeps what was typed; leaving leaves.
  const asked: string[] = [];
  page.once('dialog', (dialog) => {
    asked.push(dialog.message());
    void dialog.dismiss();
  });
  await page.getByRole('link', { name: '← All research contexts' }).click();
  await expect
    .poll(() => asked)
    .toEqual(['Your changes to the metadata are not saved. Leave without saving?']);
  expect(await page.getByRole('heading', { name: 'Unsaved changes' }).isVisible()).toBe(true);
  expect(await title.inputValue()).toBe('Typed, not saved');
  page.once('dialog', (dialog) => void dialog.accept());
  await page.getByRole('link', { name: '← All research contexts' }).click();
  await expect
    .poll(() => page.getByRole('heading', { name: 'Research contexts' }).isVisible())
    .toBe(true);

  // Closing the tab or reloading: the page asks the browser to ask (a cancelled beforeunload;
  // headless Chromium shows no dialog for it), and not once the changes are saved.
  const asksOnUnload = () =>
    page.evaluate<boolean>(
      "(() => { const event = new Event('beforeunload', { cancelable: true }); window.dispatchEvent(event); return event.defaultPrevented; })()",
    );
  await page.getByRole('link', { name: 'Unsaved changes' }).click();
  await title.fill('Typed again');
  expect(await asksOnUnload()).toBe(true);
  await metadata.getByRole('button', { name: 'Save metadata' }).click();
  await metadata.getByText(/^Metadata saved/).waitFor();
  expect(await asksOnUnload()).toBe(false);
}, 60_000);
