import type { Page } from 'playwright-core';
import { expect } from 'vitest';

/**
 * A new research context named `name`, with `folder` of the local folder as its source, on
 * screen; answers its id.
 */
export async function contextWithFolder(page: Page, name: string, folder: string): Promise<string> {
  await page.getByRole('link', { name: 'Research contexts', exact: true }).click();
  await page.getByLabel('Name', { exact: true }).fill(name);
  await page.getByRole('button', { name: 'Create context' }).click();
  await expect.poll(() => page.getByRole('heading', { name }).isVisible()).toBe(true);
  const contextId = /#\/contexts\/([^/?]+)/.exec(page.url())?.[1];
  expect(contextId).toBeTruthy();
  const sources = page.getByRole('region', { name: 'Sources' });
  await sources.getByLabel('Storage', { exact: true }).selectOption('local-folder');
  await sources.getByRole('button', { name: `Open ${folder}` }).click();
  await sources.getByRole('button', { name: `Use folder /${folder}` }).click();
  await expect
    .poll(() => sources.getByText(`Folder on this server: /${folder}`, { exact: true }).isVisible())
    .toBe(true);
  return contextId!;
}
