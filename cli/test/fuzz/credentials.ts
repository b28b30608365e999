/**
 * Who a request claims to be. Service tokens as `rds token` mints them (the kit's signer), and
 * the two forged shapes the signer cannot make: issued in the future, and for a list of
 * audiences. For web, the local user's session with its CSRF token.
 */
import { createHmac } from 'node:crypto';
import { createTokenSigner, DEFAULT_TENANT } from '@rds/kit';
import type { Credentials, FuzzRequest } from './cases.ts';
import { send } from './send.ts';

/** The user every valid token acts for: the embedded default's local user. */
export const USER = 'local';

export function tokenMinter(secret: string) {
  const sign = createTokenSigner(secret);
  const forge = (claims: Record<string, unknown>) => signed(secret, claims);
  return (service: string, credentials: Credentials, callers: string[]): string | undefined => {
    const issuer = callers[0] ?? 'fuzz';
    const now = Math.floor(Date.now() / 1000);
    switch (credentials) {
      case 'valid':
        return sign({ issuer, audience: service, user: USER });
      case 'garbage':
        return 'not.a.token';
      case 'other audience':
        return sign({ issuer, audience: service === 'web' ? 'research' : 'web', user: USER });
      case 'caller not allowed':
        return sign({ issuer: 'fuzz', audience: service, user: USER });
      case 'no user':
        return sign({ issuer, audience: service });
      case 'issued in the future':
        return forge({ iss: issuer, aud: service, sub: USER, iat: now + 3000, exp: now + 3300 });
      case 'audience list':
        return forge({ iss: issuer, aud: [service, 'web'], sub: USER, iat: now, exp: now + 60 });
      default:
        return undefined;
    }
  };
}

/** An HS256 JWT (RFC 7519) of any claims. */
function signed(secret: string, claims: Record<string, unknown>): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const body = `${part({ alg: 'HS256', typ: 'JWT' })}.${part({ tenant: DEFAULT_TENANT, ...claims })}`;
  return `${body}.${createHmac('sha256', secret).update(body).digest('base64url')}`;
}

export interface Session {
  cookie: string;
  csrf: string;
}

/** Signs in as the embedded default's local user, as a browser does: a cookie and its CSRF token. */
export async function signIn(web: string): Promise<Session> {
  const login = await send({ url: `${web}/auth/login`, method: 'GET', headers: {} });
  const cookie = login.setCookies.map((line) => line.split(';')[0]).join('; ');
  const session = await send({ url: `${web}/api/session`, method: 'GET', headers: { cookie } });
  if (session.status !== 200) throw new Error(`No session: ${session.status} ${session.text}`);
  return { cookie, csrf: (JSON.parse(session.text) as { csrfToken: string }).csrfToken };
}

export function sessionHeaders(request: FuzzRequest, session: Session): Record<string, string> {
  if (request.credentials === 'none') return {};
  const withCsrf = request.method !== 'GET' && request.credentials !== 'no CSRF token';
  return { cookie: session.cookie, ...(withCsrf ? { 'x-csrf-token': session.csrf } : {}) };
}
