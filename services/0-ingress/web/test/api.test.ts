/**
 * web's API over HTTP against real RDS services: sign-in (the embedded default's local user, and
 * OpenID Connect against oidc-provider), sealed session cookies, CSRF protection, refusals, and
 * layer 2's answers (ETags, 412, 428, 404) reaching the UI as they are.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ConfigError } from '@rds/kit';
import { loadSettings, createService, settingsSchemaOf } from '@rds/kit/host';
import { call, TEST_SECRET } from '@rds/kit/testing';
import { freePort, startProvider, type TestProvider } from '@rds/test-peers';
import { definition as web } from '../src/index.ts';
import { browserAt, setCookies, signInLocally, signInWith, type Browser } from './session.ts';
import { signInThrough, startStack, type Stack } from './stack.ts';

const problem = (answer: { json: <T>() => T }) =>
  answer.json<{ status: number; messageKey: string; detail: string }>();

describe('the embedded default: one local user', () => {
  let stack: Stack;
  let browser: Browser;
  beforeAll(async () => {
    stack = await startStack();
    browser = await signInLocally(stack.url);
  }, 120_000);
  afterAll(() => stack?.close());

  test('without a session the API answers 401 and says to sign in', async () => {
    const answer = await call(`${stack.url}/api/contexts`);
    expect(answer.status).toBe(401);
    expect(answer.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(problem(answer).messageKey).toBe('auth.signInRequired');
  });

  test('signing in sets a sealed session cookie: HTTP-only, SameSite, secure, for the whole site', async () => {
    const login = await call(`${stack.url}/auth/login?returnTo=/%23/services`);
    expect(login.status).toBe(302);
    expect(login.headers.location).toBe('/#/services');
    const [cookie] = setCookies(login).filter((line) => line.startsWith('rds_session='));
    expect(cookie).toMatch(/; HttpOnly/);
    expect(cookie).toMatch(/; SameSite=Lax/);
    expect(cookie).toMatch(/; Secure/);
    expect(cookie).toMatch(/; Path=\//);
    // Sealed: the user's name and the CSRF token are not readable in it.
    expect(cookie).not.toMatch(/local|csrf/);
    const session = await browser.ask('/api/session');
    expect(session.json()).toMatchObject({
      user: { id: 'local', name: 'Local user' },
      tenant: 'default',
      signIn: 'local',
      csrfToken: expect.any(String),
    });
  });

  test('a forged or altered session cookie is no session', async () => {
    const sealed = browser.cookies.get('rds_session')!;
    const altered = `${sealed.slice(0, -4)}${sealed.endsWith('AAAA') ? 'BBBB' : 'AAAA'}`;
    for (const value of [altered, 'v1.abc.def.ghi.jkl', '{"user":"local"}']) {
      const answer = await call(`${stack.url}/api/session`, {
        headers: { cookie: `rds_session=${encodeURIComponent(value)}` },
      });
      expect(answer.status, value).toBe(401);
    }
  });

  test('a change without the session’s CSRF token is refused, and changes nothing', async () => {
    const before = (await browser.ask('/api/contexts')).json<{ contexts: unknown[] }>();
    const missing = await browser.ask('/api/contexts', {
      method: 'POST',
      json: { name: 'Forged' },
      csrf: false,
    });
    expect(missing.status).toBe(403);
    expect(problem(missing).messageKey).toBe('auth.csrf');
    const wrong = await browser.ask('/api/contexts', {
      method: 'POST',
      json: { name: 'Forged' },
      headers: { 'x-csrf-token': 'not-the-token' },
    });
    expect(wrong.status).toBe(403);
    const after = (await browser.ask('/api/contexts')).json<{ contexts: unknown[] }>();
    expect(after.contexts).toHaveLength(before.contexts.length);
  });

  test('contexts: create, rename with If-Match; a stale ETag is 412, none is 428, as research says', async () => {
    const created = await browser.ask('/api/contexts', {
      method: 'POST',
      json: { name: 'Ocean temperatures' },
    });
    expect(created.status, created.text).toBe(201);
    const { id } = created.json<{ id: string }>();
    const etag = created.headers.etag as string;
    expect(etag).toBeTruthy();

    const renamed = await browser.ask(`/api/contexts/${id}`, {
      method: 'PATCH',
      headers: { 'if-match': etag },
      json: { name: 'Ocean temperatures 2024' },
    });
    expect(renamed.status, renamed.text).toBe(200);
    expect(renamed.json()).toMatchObject({ name: 'Ocean temperatures 2024' });
    expect(renamed.headers.etag).not.toBe(etag);

    const stale = await browser.ask(`/api/contexts/${id}`, {
      method: 'PATCH',
      headers: { 'if-match': etag },
      json: { name: 'Lost update' },
    });
    expect(stale.status).toBe(412);
    expect(problem(stale).messageKey).toBe('request.preconditionFailed');
    const unconditional = await browser.ask(`/api/contexts/${id}`, {
      method: 'PATCH',
      json: { name: 'Lost update' },
    });
    expect(unconditional.status).toBe(428);
    const read = await browser.ask(`/api/contexts/${id}`);
    expect(read.json()).toMatchObject({ name: 'Ocean temperatures 2024' });
    expect(read.headers.etag).toBe(renamed.headers.etag);
  });

  test('bad input is answered 400 with what is wrong and where', async () => {
    const answer = await browser.ask('/api/contexts', {
      method: 'POST',
      json: { name: '', colour: 'blue' },
    });
    expect(answer.status).toBe(400);
    const body = answer.json<{ errors: { pointer: string }[] }>();
    expect(body.errors.map((e) => e.pointer)).toEqual(
      expect.arrayContaining(['#/name', '#/colour']),
    );
  });

  test('the local folder can be browsed through research; unknown contexts are 404', async () => {
    const root = await browser.ask('/api/storage/local-folder/folder?path=/');
    expect(root.status, root.text).toBe(200);
    expect(root.json<{ entries: { name: string }[] }>().entries.map((e) => e.name)).toContain(
      'ocean-temperatures',
    );
    const unknown = await browser.ask('/api/contexts/00000000-0000-4000-8000-000000000000');
    expect(unknown.status).toBe(404);
  });

  test('signing out clears the session cookie', async () => {
    const other = await signInLocally(stack.url);
    const out = await other.ask('/auth/logout', { method: 'POST' });
    expect(out.status).toBe(200);
    const cleared = setCookies(out).find((line) => line.startsWith('rds_session='));
    expect(cleared).toMatch(/Max-Age=0|Expires=Thu, 01 Jan 1970/);
  });
});

describe('settings', () => {
  // The kit opens web's database before web reads its own settings.
  const dataDir = mkdtempSync(join(tmpdir(), 'rds-web-settings-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));
  const base = {
    RDS_SERVICE_SECRET: TEST_SECRET,
    RDS_DATA_DIR: dataDir,
    RDS_RESEARCH_URL: 'http://127.0.0.1:1',
    RDS_PORT_SERVICE_URL: 'http://127.0.0.1:1',
    RDS_METADATA_URL: 'http://127.0.0.1:1',
    RDS_EXPORTER_URL: 'http://127.0.0.1:1',
    LOG_LEVEL: 'silent',
  };
  const create = (env: Record<string, string>) =>
    createService(web, loadSettings(settingsSchemaOf(web), { ...base, ...env }));

  test('without an identity provider, web refuses to listen beyond this machine', async () => {
    await expect(create({ HOST: '0.0.0.0' })).rejects.toThrow(ConfigError);
    await expect(create({ HOST: '0.0.0.0' })).rejects.toThrow(/127\.0\.0\.1 or localhost only/);
    await expect(
      create({ HOST: '127.0.0.1', RDS_WEB_PUBLIC_URL: 'https://rds.example.org' }),
    ).rejects.toThrow(/RDS_WEB_PUBLIC_URL/);
  });

  test('an identity provider needs its client and the public address, named when missing', async () => {
    await expect(
      create({ HOST: '0.0.0.0', RDS_OIDC_ISSUER: 'https://login.example.org' }),
    ).rejects.toThrow(/RDS_OIDC_CLIENT_ID, RDS_OIDC_CLIENT_SECRET, RDS_WEB_PUBLIC_URL/);
  });
});

describe('OpenID Connect', () => {
  let provider: TestProvider;
  let stack: Stack;
  let url: string;
  beforeAll(async () => {
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    provider = await startProvider({ redirectUri: `${url}/auth/callback` });
    stack = await startStack({
      webEnv: signInThrough(provider, port),
    });
  }, 120_000);
  afterAll(async () => {
    await stack?.close();
    await provider?.close();
  });

  test('sign-in goes to the provider with PKCE, and the session names the provider’s user', async () => {
    const login = await call(`${url}/auth/login`);
    expect(login.status).toBe(302);
    const authorize = new URL(String(login.headers.location));
    expect(authorize.origin).toBe(provider.issuer);
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authorize.searchParams.get('redirect_uri')).toBe(`${url}/auth/callback`);

    const ada = await signInWith(url, provider, 'ada');
    const session = (await ada.ask('/api/session')).json();
    expect(session).toMatchObject({ user: { id: 'ada' }, signIn: 'oidc' });
  });

  test('a callback without the browser’s sign-in, or with a forged state, starts no session', async () => {
    const login = await call(`${url}/auth/login`);
    const back = await provider.consentAt(String(login.headers.location), 'mallory');
    const noCookie = await call(`${url}/auth/callback?${back}`);
    expect(noCookie.status).toBe(400);
    expect(setCookies(noCookie).some((line) => /^rds_session=[^;]/.test(line))).toBe(false);

    const cookies = new Map<string, string>();
    const again = await call(`${url}/auth/login`);
    for (const line of setCookies(again)) {
      const [pair = ''] = line.split(';');
      cookies.set(pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1));
    }
    const answered = await provider.consentAt(String(again.headers.location), 'mallory');
    answered.set('state', 'forged');
    const forged = await browserAt(url, cookies).ask(`/auth/callback?${answered}`);
    expect(forged.status).toBe(401);
    expect(problem(forged).messageKey).toBe('auth.signInFailed');
  });

  test('after the provider, a returnTo that leads elsewhere lands on /', async () => {
    const cookies = new Map<string, string>();
    const login = await call(`${url}/auth/login?returnTo=/%5Cevil.example&login_hint=ada`);
    for (const line of setCookies(login)) {
      const [pair = ''] = line.split(';');
      cookies.set(pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1));
    }
    const back = await provider.consentAt(String(login.headers.location), 'ada');
    const callback = await browserAt(url, cookies).ask(`/auth/callback?${back}`);
    expect(callback.status).toBe(302);
    expect(callback.headers.location).toBe('/');
  });

  test('signing out everywhere ends every session of that user, and no one else’s', async () => {
    const [adaHere, adaThere, grace] = await Promise.all([
      signInWith(url, provider, 'ada'),
      signInWith(url, provider, 'ada'),
      signInWith(url, provider, 'grace'),
    ]);
    const out = await adaHere.ask('/auth/logout?everywhere=true', { method: 'POST' });
    expect(out.status).toBe(200);
    expect((await adaHere.ask('/api/session')).status).toBe(401);
    expect((await adaThere.ask('/api/session')).status).toBe(401);
    expect((await grace.ask('/api/session')).status).toBe(200);
  });

  test('each user sees only their own contexts', async () => {
    const ada = await signInWith(url, provider, 'ada');
    const grace = await signInWith(url, provider, 'grace');
    const created = await ada.ask('/api/contexts', { method: 'POST', json: { name: 'Ada’s' } });
    expect(created.status).toBe(201);
    const { id } = created.json<{ id: string }>();
    const graces = (await grace.ask('/api/contexts')).json<{ contexts: { id: string }[] }>();
    expect(graces.contexts.map((c) => c.id)).not.toContain(id);
    expect((await grace.ask(`/api/contexts/${id}`)).status).toBe(404);
    expect((await ada.ask(`/api/contexts/${id}`)).status).toBe(200);
  });
});
