import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { operations } from '@rds/kit';
import { startTestService, type RunningService } from '@rds/kit/testing';
import { launchChromium } from '@rds/test-peers';
import { loadService, serviceNames } from '../cli/src/services.ts';
import { API_DOCS, apiEntries, apiIndex, writeSite, type ApiEntry } from './build.ts';

let entries: ApiEntry[];
let browser: Browser;
let site: string;

beforeAll(async () => {
  entries = await apiEntries();
  site = mkdtempSync(join(tmpdir(), 'rds-api-docs-'));
  await writeSite(site);
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  rmSync(site, { recursive: true, force: true });
});

/** Opens `url` and waits until Swagger UI shows `count` operations; returns every URL it asked for. */
async function render(page: Page, url: string, count: number): Promise<string[]> {
  const requested: string[] = [];
  page.on('request', (request) => requested.push(request.url()));
  await page.goto(url);
  await expect.poll(() => page.locator('.opblock').count(), { timeout: 15_000 }).toBe(count);
  return requested;
}

describe('the index, docs/api/README.md', () => {
  test('is current (run `npm run docs:build`)', async () => {
    expect(readFileSync(join(API_DOCS, 'README.md'), 'utf8')).toBe(await apiIndex(entries));
  });

  test('has every contract with its operations, and every service under its contract', () => {
    const index = readFileSync(join(API_DOCS, 'README.md'), 'utf8');
    for (const entry of entries) {
      expect(index).toContain(`### ${entry.name}\n`);
      for (const o of operations(entry.document)) expect(index).toContain(`\`${o.operationId}\``);
    }
    const served = entries.flatMap((e) => e.servedBy.map((s) => s.name));
    expect(served.sort()).toEqual(serviceNames().sort());
  });
});

describe('the static site', () => {
  test('has an index linking a page per document, each holding its document', async () => {
    const page = await browser.newPage();
    await page.goto(pathToFileURL(join(site, 'index.html')).href);
    const links = await page
      .locator('a')
      .evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    expect(links).toEqual(entries.map((e) => `${e.name}.html`));
    await page.close();
    for (const entry of entries) {
      const html = readFileSync(join(site, `${entry.name}.html`), 'utf8');
      const held = /<script type="application\/json" id="openapi">(.*?)<\/script>/s.exec(html);
      expect(JSON.parse(held![1]!), entry.name).toEqual(entry.document);
      const json = JSON.parse(readFileSync(join(site, `${entry.name}.json`), 'utf8'));
      expect(json, entry.name).toEqual(entry.document);
    }
  });

  // Two pages are enough to show the pages work: they differ only in the document they hold.
  test.each(['token-storage', 'file-storage'])(
    '%s.html renders every operation from disk, loading nothing from elsewhere',
    async (name) => {
      const entry = entries.find((e) => e.name === name)!;
      const page = await browser.newPage();
      const url = pathToFileURL(join(site, `${name}.html`)).href;
      const requested = await render(page, url, operations(entry.document).length);
      expect(requested.filter((r) => !r.startsWith('file://'))).toEqual([]);
      await expect
        .poll(() => page.locator('.info .title').textContent())
        .toContain(entry.document.info.title);
      await page.close();
    },
  );
});

describe('/docs of a running service', () => {
  let running: RunningService;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'rds-docs-'));
    running = await startTestService(await loadService('token-storage'), {
      RDS_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
      RDS_DATA_DIR: dataDir,
    });
  });
  afterAll(async () => {
    await running?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  test('renders the service’s contract from what the service serves, nothing else', async () => {
    const contract = entries.find((e) => e.servedBy.some((s) => s.name === 'token-storage'))!;
    const page = await browser.newPage();
    const requested = await render(
      page,
      `${running.url}/docs`,
      operations(contract.document).length,
    );
    expect(requested.filter((r) => !r.startsWith(`${running.url}/`))).toEqual([]);
    await page.close();
  });
});
