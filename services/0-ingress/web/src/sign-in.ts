import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import * as oidc from 'openid-client';
import { ProblemError, type RequestOf, type SomeHandlers } from '@rds/kit';
import type { operations } from '@rds/contracts/generated/web';
import { endSession, rememberLogin, startSession, takeLogin, type CookieJar } from './session.ts';

export interface OidcSettings {
  issuer: string;
  clientId: string;
  clientSecret: string;
  scope: string;
}

export interface SignInOptions {
  jar: CookieJar;
  tenant: string;
  /** Without an identity provider, everyone on this machine is this one local user. */
  oidc?: OidcSettings;
  localUser: string;
  publicUrl: (request: FastifyRequest) => string;
  logger: Logger;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * The identity provider's configuration, discovered once it is first needed and kept; a failed
 * discovery is tried again on the next sign-in.
 */
function provider(settings: OidcSettings): () => Promise<oidc.Configuration> {
  let discovered: Promise<oidc.Configuration> | undefined;
  const issuer = new URL(settings.issuer);
  // Plain HTTP only for a provider on this machine (a test's, a developer's).
  const insecure = issuer.protocol === 'http:' && LOOPBACK.has(issuer.hostname);
  return () =>
    (discovered ??= oidc
      .discovery(
        issuer,
        settings.clientId,
        undefined,
        oidc.ClientSecretPost(settings.clientSecret),
        insecure ? { execute: [oidc.allowInsecureRequests] } : {},
      )
      .catch((error: unknown) => {
        discovered = undefined;
        throw error;
      }));
}

/** An address that only a server-side resolver sees: what leaves it is not on this site. */
const THIS_SITE = 'http://rds.invalid';

/**
 * Where to send the browser after signing in: a path of this site, or `/`. Browsers read `\` as
 * `/` and drop tabs and line breaks, so `/\evil.example` or `/<tab>/evil.example` would lead
 * to another site; those, and anything that resolves elsewhere, land on `/`.
 */
function sameSitePath(returnTo: string | undefined): string {
  if (!returnTo || /[\\\p{Cc}]/u.test(returnTo) || !/^\/(?!\/)/.test(returnTo)) return '/';
  const url = new URL(returnTo, THIS_SITE);
  return url.origin === THIS_SITE ? `${url.pathname}${url.search}${url.hash}` : '/';
}

const signInFailed = (detail: string) =>
  new ProblemError(401, { detail, messageKey: 'auth.signInFailed' });

/** `/auth/login`, `/auth/callback` and `/auth/logout`. */
export function signInHandlers(
  options: SignInOptions,
): SomeHandlers<operations, 'login' | 'loginCallback' | 'logout'> {
  const { jar, tenant, publicUrl, logger } = options;
  const configuration = options.oidc ? provider(options.oidc) : undefined;
  const callbackUrl = (request: FastifyRequest) => `${publicUrl(request)}/auth/callback`;

  async function redirectToProvider(request: RequestOf<operations['login']>, reply: FastifyReply) {
    const { query } = request;
    const config = await configuration!().catch((error: unknown) => {
      logger.error({ err: error }, 'OpenID Connect discovery failed');
      throw new ProblemError(503, {
        detail: 'The identity provider cannot be reached; try again in a moment.',
        messageKey: 'auth.providerUnavailable',
      });
    });
    const login = {
      state: oidc.randomState(),
      nonce: oidc.randomNonce(),
      codeVerifier: oidc.randomPKCECodeVerifier(),
      returnTo: sameSitePath(query.returnTo),
    };
    rememberLogin(jar, reply, login);
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: callbackUrl(request),
      scope: options.oidc!.scope,
      state: login.state,
      nonce: login.nonce,
      code_challenge: await oidc.calculatePKCECodeChallenge(login.codeVerifier),
      code_challenge_method: 'S256',
      ...(query.login_hint ? { login_hint: query.login_hint } : {}),
    });
    return reply.redirect(url.href);
  }

  return {
    login: async (request, reply) => {
      if (configuration) return redirectToProvider(request, reply);
      await startSession(jar, reply, { user: options.localUser, name: 'Local user', tenant });
      return reply.redirect(sameSitePath(request.query.returnTo));
    },

    loginCallback: async (request, reply) => {
      const login = takeLogin(jar, request, reply);
      if (!configuration || !login) {
        throw new ProblemError(400, {
          detail: 'This sign-in took too long or was started in another browser; sign in again.',
          messageKey: 'auth.loginExpired',
        });
      }
      const { error, error_description: description } = request.query;
      if (error)
        throw signInFailed(`The identity provider did not sign you in: ${description ?? error}.`);
      const current = new URL(request.url, publicUrl(request));
      let claims: oidc.IDToken | undefined;
      try {
        const tokens = await oidc.authorizationCodeGrant(await configuration(), current, {
          pkceCodeVerifier: login.codeVerifier,
          expectedState: login.state,
          expectedNonce: login.nonce,
          idTokenExpected: true,
        });
        claims = tokens.claims();
      } catch (failure) {
        logger.warn({ err: failure }, 'sign-in refused');
        throw signInFailed('The identity provider’s answer could not be verified; sign in again.');
      }
      if (!claims) throw signInFailed('The identity provider sent no ID token; sign in again.');
      const name = [claims.name, claims.preferred_username, claims.email].find(
        (value): value is string => typeof value === 'string' && value !== '',
      );
      await startSession(jar, reply, { user: claims.sub, name: name ?? claims.sub, tenant });
      return reply.redirect(login.returnTo);
    },

    logout: async (request, reply) => {
      const { everywhere = false } = request.query;
      await endSession(jar, request.session!, reply, everywhere);
      const endpoint = configuration
        ? (await configuration()).serverMetadata().end_session_endpoint
        : undefined;
      return endpoint ? { logoutUrl: endpoint } : {};
    },
  };
}

/** Whether a host name or address is this machine's loopback. */
export function isLoopback(host: string): boolean {
  return LOOPBACK.has(host) || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}
