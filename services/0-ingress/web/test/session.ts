/** A browser's part in web's sign-in, over plain HTTP: cookies kept, redirects read. */
import { call, type Answer, type Ask } from '@rds/kit/testing';
import type { TestProvider } from '@rds/test-peers';

export type Cookies = Map<string, string>;

export function setCookies(answer: Answer): string[] {
  const lines = answer.headers['set-cookie'] ?? [];
  return Array.isArray(lines) ? lines : [lines];
}

/** Keeps the cookies an answer sets (and forgets those it clears), as a browser does. */
export function keep(cookies: Cookies, answer: Answer): void {
  for (const line of setCookies(answer)) {
    const [pair = ''] = line.split(';');
    const at = pair.indexOf('=');
    const name = pair.slice(0, at);
    const value = pair.slice(at + 1);
    if (!value || /Max-Age=0/i.test(line)) cookies.delete(name);
    else cookies.set(name, value);
  }
}

export const cookieHeader = (cookies: Cookies) =>
  [...cookies].map(([name, value]) => `${name}=${value}`).join('; ');

/** A signed-in browser: its cookies, and the CSRF token its session was given. */
export interface Browser {
  cookies: Cookies;
  csrf: string;
  /** A call to web as this browser; changes carry the CSRF token unless `csrf: false`. */
  ask: (path: string, ask?: Ask & { csrf?: boolean }) => Promise<Answer>;
}

export function browserAt(url: string, cookies: Cookies, csrf = ''): Browser {
  const browser: Browser = {
    cookies,
    csrf,
    ask: (path, { csrf: withCsrf = true, ...ask } = {}) => {
      const changes = (ask.method ?? 'GET') !== 'GET';
      return call(`${url}${path}`, {
        ...ask,
        headers: {
          cookie: cookieHeader(cookies),
          ...(changes && withCsrf ? { 'x-csrf-token': browser.csrf } : {}),
          ...ask.headers,
        },
      });
    },
  };
  return browser;
}

async function withSession(url: string, cookies: Cookies): Promise<Browser> {
  const browser = browserAt(url, cookies);
  const session = await browser.ask('/api/session');
  if (session.status !== 200) throw new Error(`no session: ${session.text}`);
  browser.csrf = session.json<{ csrfToken: string }>().csrfToken;
  return browser;
}

/** Signs in as the embedded default's local user. */
export async function signInLocally(url: string): Promise<Browser> {
  const cookies: Cookies = new Map();
  keep(cookies, await call(`${url}/auth/login`));
  return withSession(url, cookies);
}

/** Signs in through the identity provider as `user`: login, the provider's pages, callback. */
export async function signInWith(
  url: string,
  provider: TestProvider,
  user: string,
): Promise<Browser> {
  const cookies: Cookies = new Map();
  const login = await call(`${url}/auth/login?login_hint=${user}`);
  keep(cookies, login);
  const back = await provider.consentAt(String(login.headers.location), user);
  const callback = await call(`${url}/auth/callback?${back}`, {
    headers: { cookie: cookieHeader(cookies) },
  });
  if (callback.status !== 302) throw new Error(`sign-in failed: ${callback.text}`);
  keep(cookies, callback);
  return withSession(url, cookies);
}
