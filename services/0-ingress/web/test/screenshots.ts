import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Locator, Page } from 'playwright-core';

/** Where the browser tests leave pictures of the main screens, for people to look at. */
const ARTIFACTS = fileURLToPath(new URL('../../../../test-artifacts/web', import.meta.url));

/** The whole page as `test-artifacts/web/<name>.png`. */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
}

/** One part of the page (a panel, a card) as `test-artifacts/web/<name>.png`: for the user guide. */
export async function screenshotOf(part: Locator, name: string): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  await part.screenshot({ path: join(ARTIFACTS, `${name}.png`) });
}
