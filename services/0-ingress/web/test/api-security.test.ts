/**
 * web as an attacker meets it, over HTTP against real RDS services (the embedded default's local
 * user): where sign-in may send a browser, what an unauthenticated body costs, whether a session
 * ends when its user signs out, and the headers and routes every answer has.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { call, startTestService, type Answer, type RunningService } from '@rds/kit/testing';
import { openDatabase } from '@rds/storage';
import { definition as web, ensureUi, UI_DIST } from '../src/index.ts';
import { browserAt, signInLocally, type Browser } from './session.ts';
import { startStack, type Stack } from './stack.ts';

const migrations = fileURLToPath(new URL('../src/migrations', import.meta.url));
const isProblem = (answer: Answer) =>
  expect(answer.headers['content-type']).toMatch(/^application\/problem\+json/);

let stack: Stack;
beforeAll(async () => {
  await ensureUi();
  stack = await startStack();
}, 180_000);
afterAll(() => stack?.close());

describe('after signing in, the browser stays on this site', () => {
  test.each([
    ['/\\evil.example', 'a backslash, which browsers read as /'],
    ['/%5Cevil.example', 'an encoded backslash'],
    ['/%09/evil.example', 'a tab, which browsers drop'],
    ['/%0A/evil.example', 'a line feed, which browsers drop'],
    ['/%0D%0ALocation:%20http://evil.example/', 'CR/LF, a second header'],
    ['//evil.example', 'a protocol-relative address'],
    ['https://evil.example/', 'an absolute URL'],
    ['/%2F/evil.example', 'an encoded slash'],
    ['/\\/evil.example', 'a backslash after the slash'],
  ])('returnTo=%s (%s): to / or refused, never elsewhere, never a 500', async (returnTo) => {
    const login = await call(`${stack.url}/auth/login?returnTo=${returnTo}`);
    expect([302, 400]).toContain(login.status);
    if (login.status === 400) return isProblem(login);
    // Resolved as a browser resolves it (WHATWG URL: backslashes, tabs and line breaks too).
    const landing = new URL(String(login.headers.location), stack.url);
    expect(landing.origin).toBe(new URL(stack.url).origin);
    expect(landing.pathname).toBe('/');
  });

  test('a path of this site is kept, with its query and fragment', async () => {
    for (const returnTo of ['/%23/services', '/%23/contexts/abc%3Ftab%3Druns']) {
      const login = await call(`${stack.url}/auth/login?returnTo=${returnTo}`);
      expect(login.status).toBe(302);
      expect(login.headers.location).toBe(decodeURIComponent(returnTo));
    }
  });
});

describe('a caller is authenticated before its body is read', () => {
  // The probe: 100k unknown keys, 852 KB, answered with a 6 MB problem in ~1 s.
  const unknownKeys = JSON.stringify(
    Object.fromEntries(Array.from({ length: 100_000 }, (_, i) => [`k${i}`, 1])),
  );

  test('without a session: a short 401, fast, whatever the body', async () => {
    expect(unknownKeys.length).toBeGreaterThan(800_000);
    const started = performance.now();
    const answer = await call(`${stack.url}/api/contexts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: unknownKeys,
    });
    const ms = performance.now() - started;
    expect(answer.status).toBe(401);
    isProblem(answer);
    expect(answer.json<{ messageKey: string }>().messageKey).toBe('auth.signInRequired');
    expect(answer.text.length).toBeLessThan(1000);
    expect(ms).toBeLessThan(1000);
  });

  test('with a session but without the CSRF token: a short 403, the body unread', async () => {
    const browser = await signInLocally(stack.url);
    const answer = await browser.ask('/api/contexts', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: unknownKeys,
      csrf: false,
    });
    expect(answer.status).toBe(403);
    expect(answer.text.length).toBeLessThan(1000);
  });

  test('without a session, invalid input is not described: 401, not 400', async () => {
    const answer = await call(`${stack.url}/api/contexts`, {
      method: 'POST',
      json: { name: '', colour: 'blue' },
    });
    expect(answer.status).toBe(401);
    expect(answer.text).not.toContain('colour');
  });
});

describe('signing out ends the session', () => {
  const sessionOf = (browser: Browser) => browser.ask('/api/session');

  test('after logout the same cookie is no session, sent again from anywhere', async () => {
    const browser = await signInLocally(stack.url);
    const kept = new Map(browser.cookies);
    const out = await browser.ask('/auth/logout', { method: 'POST' });
    expect(out.status).toBe(200);
    const replayed = await sessionOf(browserAt(stack.url, kept));
    expect(replayed.status).toBe(401);
    isProblem(replayed);
    const change = await browserAt(stack.url, kept, browser.csrf).ask('/api/contexts', {
      method: 'POST',
      json: { name: 'After logout' },
    });
    expect(change.status).toBe(401);
  });

  test('signing out in one browser leaves the others signed in', async () => {
    const here = await signInLocally(stack.url);
    const there = await signInLocally(stack.url);
    expect((await here.ask('/auth/logout', { method: 'POST' })).status).toBe(200);
    expect((await sessionOf(there)).status).toBe(200);
  });

  test('signing out everywhere ends every session of the user', async () => {
    const browsers = await Promise.all([1, 2, 3].map(() => signInLocally(stack.url)));
    const out = await browsers[0]!.ask('/auth/logout?everywhere=true', { method: 'POST' });
    expect(out.status).toBe(200);
    for (const browser of browsers) expect((await sessionOf(browser)).status).toBe(401);
    // Signing in again works.
    expect((await sessionOf(await signInLocally(stack.url))).status).toBe(200);
  });
});

describe('every answer has its security headers', () => {
  test('API answers: nosniff, not cached, loading nothing', async () => {
    const browser = await signInLocally(stack.url);
    for (const path of ['/api/session', '/api/contexts', '/api/services']) {
      const answer = await browser.ask(path);
      expect(answer.status, path).toBe(200);
      expect(answer.headers['x-content-type-options'], path).toBe('nosniff');
      expect(answer.headers['cache-control'], path).toBe('no-store');
      expect(answer.headers['content-security-policy'], path).toMatch(/default-src 'none'/);
    }
    const refused = await call(`${stack.url}/api/session`);
    expect(refused.status).toBe(401);
    expect(refused.headers['x-content-type-options']).toBe('nosniff');
    expect(refused.headers['cache-control']).toBe('no-store');
  });

  test('the UI page and its files: nosniff; the page with its policy', async () => {
    const page = await call(`${stack.url}/`);
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    expect(page.headers['content-security-policy']).toMatch(/frame-ancestors 'none'/);
    const [asset] = readdirSync(join(UI_DIST, 'assets'));
    const file = await call(`${stack.url}/assets/${asset}`);
    expect(file.status).toBe(200);
    expect(file.headers['x-content-type-options']).toBe('nosniff');
    expect(file.headers['cache-control']).toMatch(/immutable/);
  });

  test('unknown paths: 404 problems, whatever the method', async () => {
    for (const [method, path] of [
      ['GET', '/nothing-here'],
      ['GET', '/assets/nothing.js'],
      ['GET', '/api/nothing'],
      ['POST', '/nothing-here'],
    ]) {
      const answer = await call(`${stack.url}${path}`, { method });
      expect(answer.status, `${method} ${path}`).toBe(404);
      isProblem(answer);
      expect(answer.headers['x-content-type-options']).toBe('nosniff');
    }
  });

  test('metrics, the contract and the API reference are not public', async () => {
    for (const path of ['/metrics', '/docs', '/openapi.json', '/docs/assets/swagger-ui.css']) {
      const answer = await call(`${stack.url}${path}`);
      expect(answer.status, path).toBe(404);
      isProblem(answer);
    }
    // Load balancers still see whether web is up.
    expect((await call(`${stack.url}/health/ready`)).status).toBe(200);
  });
});

describe('with a monitoring token, the operator reads metrics and the API reference', () => {
  const TOKEN = 'operator-only-monitoring-token-0123456789';
  let operated: RunningService;
  let dataDir: string;
  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'rds-web-monitoring-'));
    // web calls layer 2 only for a user's requests: none are made here.
    operated = await startTestService(web, {
      RDS_RESEARCH_URL: 'http://127.0.0.1:1',
      RDS_PORT_SERVICE_URL: 'http://127.0.0.1:1',
      RDS_METADATA_URL: 'http://127.0.0.1:1',
      RDS_EXPORTER_URL: 'http://127.0.0.1:1',
      RDS_DATA_DIR: dataDir,
      RDS_WEB_MONITORING_TOKEN: TOKEN,
    });
  }, 60_000);
  afterAll(async () => {
    await operated?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  test('with the token: served, the reference page with a policy; without it: 401', async () => {
    const asOperator = { authorization: `Bearer ${TOKEN}` };
    for (const path of ['/metrics', '/docs', '/openapi.json']) {
      const without = await call(`${operated.url}${path}`);
      expect(without.status, path).toBe(401);
      isProblem(without);
      const wrong = await call(`${operated.url}${path}`, {
        headers: { authorization: `Bearer ${TOKEN.slice(1)}x` },
      });
      expect(wrong.status, path).toBe(401);
      const answer = await call(`${operated.url}${path}`, { headers: asOperator });
      expect(answer.status, path).toBe(200);
      expect(answer.headers['x-content-type-options'], path).toBe('nosniff');
    }
    const docs = await call(`${operated.url}/docs`, { headers: asOperator });
    expect(docs.headers['content-security-policy']).toMatch(/script-src|default-src 'self'/);
    expect(docs.headers['content-security-policy']).toMatch(/frame-ancestors 'none'/);
  });
});

describe('replicas on one PostgreSQL share the sessions', () => {
  const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  const schema = `web_sessions_${process.pid}_${Date.now()}`;
  const replicas: RunningService[] = [];
  beforeAll(async () => {
    for (let i = 0; i < 2; i++) {
      replicas.push(
        await startTestService(web, {
          RDS_RESEARCH_URL: 'http://127.0.0.1:1',
          RDS_PORT_SERVICE_URL: 'http://127.0.0.1:1',
          RDS_METADATA_URL: 'http://127.0.0.1:1',
          RDS_EXPORTER_URL: 'http://127.0.0.1:1',
          DATABASE_URL,
          RDS_DATABASE_SCHEMA: schema,
        }),
      );
    }
  }, 60_000);
  afterAll(async () => {
    for (const replica of replicas) await replica.close();
    const db = await openDatabase({ databaseUrl: DATABASE_URL, dataDir: '', migrations, schema });
    await db.query(`DROP SCHEMA ${schema} CASCADE`);
    await db.close();
  });

  test('a session begun at one replica is signed out at the other, for both', async () => {
    const [a, b] = replicas.map((replica) => replica.url) as [string, string];
    const browser = await signInLocally(a);
    const atB = browserAt(b, browser.cookies, browser.csrf);
    expect((await atB.ask('/api/session')).status).toBe(200);
    expect((await atB.ask('/auth/logout', { method: 'POST' })).status).toBe(200);
    expect((await browser.ask('/api/session')).status).toBe(401);
    expect((await atB.ask('/api/session')).status).toBe(401);
  });
});
