import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ProblemError, type SecurityHandler } from '@rds/kit';
import { derivedKeyRing, type KeyRing } from '@rds/secrets';
import type { SessionStore } from './sessions.ts';

/**
 * Who is signed in. Sealed into the session cookie: small, and nobody can read or alter it; and
 * honoured only while web's session store holds it, so that signing out ends it everywhere.
 */
export interface Session {
  /** A random id of this browser session; port-service binds OAuth2 flows to a hash of it. */
  id: string;
  user: string;
  name: string;
  tenant: string;
  csrfToken: string;
  /** Seconds since the epoch. */
  expiresAt: number;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The signed-in user's session, once the `session` security scheme has checked it. */
    session?: Session;
  }
}

export const SESSION_COOKIE = 'rds_session';
/** The sign-in in progress: state, nonce and PKCE verifier, until the provider sends the user back. */
export const LOGIN_COOKIE = 'rds_login';
const LOGIN_TTL_SECONDS = 600;

export interface CookieJar {
  sealer: KeyRing;
  /** The live sessions: a cookie whose session is not here is no session. */
  store: SessionStore;
  /** Secure cookies: over HTTPS, and on the loopback address, which browsers treat as secure. */
  secure: boolean;
  sessionTtlSeconds: number;
}

export function cookieJar(
  serviceSecret: string,
  store: SessionStore,
  secure: boolean,
  sessionTtlSeconds: number,
): CookieJar {
  return { sealer: derivedKeyRing(serviceSecret, 'web session'), store, secure, sessionTtlSeconds };
}

const now = () => Math.floor(Date.now() / 1000);
const random = () => randomBytes(24).toString('base64url');

function cookieOptions(jar: CookieJar, path: string, maxAge: number) {
  return { path, maxAge, httpOnly: true, secure: jar.secure, sameSite: 'lax' as const };
}

/** Reads a sealed cookie; anything forged, altered, sealed for another cookie or stale is nothing. */
function open<T extends { expiresAt: number }>(
  jar: CookieJar,
  request: FastifyRequest,
  name: string,
): T | undefined {
  const sealed = request.cookies[name];
  if (!sealed) return undefined;
  try {
    const value = JSON.parse(jar.sealer.decrypt(sealed, name)) as T;
    return value.expiresAt > now() ? value : undefined;
  } catch {
    return undefined;
  }
}

export async function startSession(
  jar: CookieJar,
  reply: FastifyReply,
  who: { user: string; name: string; tenant: string },
): Promise<Session> {
  const session = {
    ...who,
    id: random(),
    csrfToken: random(),
    expiresAt: now() + jar.sessionTtlSeconds,
  };
  await jar.store.begin(session);
  const sealed = jar.sealer.encrypt(JSON.stringify(session), SESSION_COOKIE);
  reply.setCookie(SESSION_COOKIE, sealed, cookieOptions(jar, '/', jar.sessionTtlSeconds));
  return session;
}

/** Ends this session, or with `everywhere` every session of its user, and clears the cookie. */
export async function endSession(
  jar: CookieJar,
  session: Session,
  reply: FastifyReply,
  everywhere: boolean,
): Promise<void> {
  await (everywhere ? jar.store.endAll(session) : jar.store.end(session));
  reply.clearCookie(SESSION_COOKIE, cookieOptions(jar, '/', 0));
}

export interface LoginState {
  state: string;
  nonce: string;
  codeVerifier: string;
  returnTo: string;
  expiresAt: number;
}

export function rememberLogin(
  jar: CookieJar,
  reply: FastifyReply,
  login: Omit<LoginState, 'expiresAt'>,
): void {
  const sealed = jar.sealer.encrypt(
    JSON.stringify({ ...login, expiresAt: now() + LOGIN_TTL_SECONDS }),
    LOGIN_COOKIE,
  );
  reply.setCookie(LOGIN_COOKIE, sealed, cookieOptions(jar, '/auth', LOGIN_TTL_SECONDS));
}

/** The sign-in in progress, read once: the cookie is cleared so that it cannot be replayed. */
export function takeLogin(
  jar: CookieJar,
  request: FastifyRequest,
  reply: FastifyReply,
): LoginState | undefined {
  reply.clearCookie(LOGIN_COOKIE, cookieOptions(jar, '/auth', 0));
  return open<LoginState>(jar, request, LOGIN_COOKIE);
}

/** What port-service binds an OAuth2 connection flow to: never the session id itself. */
export function sessionBinding(session: Session): string {
  return createHash('sha256').update(session.id).digest('base64url');
}

/** Whether a secret sent equals the one expected, in time that tells nothing about where they differ. */
export const sameText = (a: string, b: string) =>
  a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

/**
 * The contract's security schemes: `session` (a valid session cookie of a live session; the call
 * then acts for its user and tenant) and `csrfToken` (the session's CSRF token in `X-CSRF-Token`).
 */
export function securityHandlers(jar: CookieJar): Record<string, SecurityHandler> {
  return {
    session: async (request) => {
      const session = open<Session>(jar, request, SESSION_COOKIE);
      if (!session || !(await jar.store.isLive(session))) {
        throw new ProblemError(401, {
          detail: 'Sign in first: there is no session, or it has ended.',
          messageKey: 'auth.signInRequired',
        });
      }
      request.session = session;
      // Every call to layer 2 from here on carries this user and tenant in its service token.
      Object.assign(request.rds, { user: session.user, tenant: session.tenant });
    },
    csrfToken: async (request) => {
      const sent = request.headers['x-csrf-token'];
      if (
        !request.session ||
        typeof sent !== 'string' ||
        !sameText(sent, request.session.csrfToken)
      ) {
        throw new ProblemError(403, {
          detail: 'This change needs the CSRF token of your session in the X-CSRF-Token header.',
          messageKey: 'auth.csrf',
        });
      }
    },
  };
}
