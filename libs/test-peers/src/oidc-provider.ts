/**
 * A real OAuth 2.0 / OpenID Connect authorization server for tests (npm `oidc-provider`), on
 * 127.0.0.1 and a free port: one confidential client (`client_secret_post`, authorization code +
 * refresh token), PKCE required, refresh tokens rotated, an access-token lifetime the test sets.
 *
 * `authorize(user)` gets an authorization code without a person: it drives the provider's own
 * flow over HTTP (authorize → interaction (login) → consent → redirect with `code`), and a tiny
 * interaction handler here logs the user in and grants what the client asked for.
 *
 * With `pages: true` a person (a browser test) goes through it instead: the provider shows a
 * sign-in page (a user name) and a consent page (Allow / Deny); Deny sends the browser back with
 * `error=access_denied`, as a real provider does when the user declines.
 */
import { createHash, generateKeyPairSync, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import Provider, {
  type Adapter,
  type AdapterPayload,
  type KoaContextWithOIDC,
} from 'oidc-provider';
import { call } from '@rds/kit/testing';

export interface ProviderOptions {
  /** Seconds an access token lives (changeable later with `setAccessTokenTtl`). Default 300. */
  accessTokenTtl?: number;
  clientId?: string;
  clientSecret?: string;
  redirectUri?: string;
  /**
   * Show sign-in and consent pages for a browser (a user name field and "Sign in"; "Allow" and
   * "Deny") instead of signing in the `login_hint` user and consenting at once. `authorize` and
   * `consentAt` need the default (false).
   */
  pages?: boolean;
}

/** One request the token or revocation endpoint answered. */
export interface EndpointCall {
  endpoint: 'token' | 'revocation';
  /** `authorization_code`, `refresh_token`…; for revocation, the token type hint. */
  grantType: string | undefined;
  status: number;
  /** The OAuth error code of a refused request (`invalid_grant`, `invalid_client`…). */
  error: string | undefined;
  clientId: string | undefined;
}

export interface Authorization {
  code: string;
  codeVerifier: string;
  redirectUri: string;
}

export interface TestProvider {
  issuer: string;
  authorizeUrl: string;
  tokenUrl: string;
  revocationUrl: string;
  userinfoUrl: string;
  clientId: string;
  /** The secret the provider accepts now (see `setClientSecret`). */
  readonly clientSecret: string;
  redirectUri: string;
  provider: Provider;
  /** Every answered token and revocation request, in order. */
  calls: EndpointCall[];
  /** Successful grants of one type at the token endpoint. */
  grants: (grantType: string) => number;
  /** Refused requests (of one error, e.g. `invalid_grant`), among the calls from index `since` on. */
  refusals: (error?: string, since?: number) => EndpointCall[];
  /** Unexpected errors inside the provider (`server_error`). */
  serverErrors: Error[];
  setAccessTokenTtl: (seconds: number) => void;
  /** Makes the token endpoint take `ms` longer to answer, like a slow provider (0: at once). */
  setTokenDelay: (ms: number) => void;
  /** Rotates the client's secret: from now on only `secret` authenticates the client. */
  setClientSecret: (secret: string) => void;
  /** Logs `user` in, consents to `openid offline_access`, and returns the code and PKCE verifier. */
  authorize: (user: string) => Promise<Authorization>;
  /** Logs `user` in at an authorization URL made elsewhere, consents, and returns the redirect's parameters. */
  consentAt: (authorizeUrl: string, user: string) => Promise<URLSearchParams>;
  /** Who the access token speaks for, by the provider's userinfo endpoint; undefined when refused. */
  userinfo: (accessToken: string) => Promise<string | undefined>;
  /** Revokes every grant the user gave (and all its tokens), as a user does in the provider's UI. */
  revokeGrants: (user: string) => Promise<void>;
  close: () => Promise<void>;
}

/**
 * Storage for the provider's state. Clients are looked up in `clients` on every request (the
 * provider rebuilds a client whose metadata changed), so that a secret can be rotated while running.
 */
class MemoryStore {
  readonly clients = new Map<string, AdapterPayload>();
  private readonly items = new Map<string, AdapterPayload>();
  private readonly byGrant = new Map<string, Set<string>>();
  private readonly byUid = new Map<string, string>();
  private readonly byUserCode = new Map<string, string>();

  adapter(model: string): Adapter {
    const key = (id: string) => `${model}:${id}`;
    const find = async (id: string) => {
      if (model === 'Client') return this.clients.get(id);
      const item = this.items.get(key(id));
      if (item && typeof item.exp === 'number' && item.exp * 1000 < Date.now()) return undefined;
      return item;
    };
    return {
      upsert: async (id, payload) => {
        this.items.set(key(id), payload);
        if (payload.grantId) {
          const members = this.byGrant.get(payload.grantId) ?? new Set<string>();
          members.add(key(id));
          this.byGrant.set(payload.grantId, members);
        }
        if (model === 'Session' && payload.uid) this.byUid.set(payload.uid, id);
        if (payload.userCode) this.byUserCode.set(payload.userCode, id);
      },
      find,
      findByUid: async (uid) => {
        const id = this.byUid.get(uid);
        return id === undefined ? undefined : find(id);
      },
      findByUserCode: async (userCode) => {
        const id = this.byUserCode.get(userCode);
        return id === undefined ? undefined : find(id);
      },
      consume: async (id) => {
        const item = this.items.get(key(id));
        if (item) item.consumed = Math.floor(Date.now() / 1000);
      },
      destroy: async (id) => {
        this.items.delete(key(id));
      },
      revokeByGrantId: async (grantId) => {
        for (const member of this.byGrant.get(grantId) ?? []) this.items.delete(member);
        this.byGrant.delete(grantId);
      },
    };
  }
}

const pkcePair = () => {
  const codeVerifier = randomBytes(32).toString('base64url');
  return {
    codeVerifier,
    codeChallenge: createHash('sha256').update(codeVerifier).digest('base64url'),
  };
};

const escapeHtml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );

function page(res: ServerResponse, status: number, title: string, body: string): void {
  res.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
  });
  res.end(
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title} · Test provider</title></head>` +
      `<body><main><h1>${title}</h1>${body}</main></body></html>`,
  );
}

async function bodyOf(req: IncomingMessage): Promise<string> {
  let text = '';
  for await (const chunk of req) text += String(chunk);
  return text;
}

/** Starts the provider on 127.0.0.1 and a free port. */
export async function startProvider(options: ProviderOptions = {}): Promise<TestProvider> {
  const clientId = options.clientId ?? 'rds-test-client';
  const redirectUri = options.redirectUri ?? 'https://rds.example/connect/callback';
  let clientSecret = options.clientSecret ?? `secret-${randomBytes(16).toString('hex')}`;
  let accessTokenTtl = options.accessTokenTtl ?? 300;
  let tokenDelayMs = 0;

  const store = new MemoryStore();
  const setClient = () =>
    store.clients.set(clientId, {
      client_id: clientId,
      client_secret: clientSecret,
      token_endpoint_auth_method: 'client_secret_post',
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      redirect_uris: [redirectUri],
    });
  setClient();

  // Listen first: the issuer names the port.
  let handle: (req: IncomingMessage, res: ServerResponse) => void = (_req, res) =>
    res.writeHead(503).end();
  const server = createServer((req, res) => handle(req, res));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const signingKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({
    format: 'jwk',
  });
  const grantsByUser = new Map<string, string[]>();

  const provider = new Provider(issuer, {
    adapter: (model: string) => store.adapter(model),
    jwks: { keys: [{ ...signingKey, kid: 'test', use: 'sig', alg: 'RS256' }] },
    cookies: { keys: [randomBytes(32).toString('hex')] },
    findAccount: (_ctx, sub) => ({ accountId: sub, claims: () => ({ sub }) }),
    scopes: ['openid', 'offline_access'],
    pkce: { required: () => true },
    rotateRefreshToken: true,
    features: {
      devInteractions: { enabled: false },
      revocation: {
        enabled: true,
        allowedPolicy: (_ctx, client, token) => token.clientId === client.clientId,
      },
      userinfo: { enabled: true },
    },
    ttl: {
      AccessToken: () => accessTokenTtl,
      AuthorizationCode: 60,
      IdToken: 300,
      RefreshToken: 24 * 3600,
      Interaction: 300,
      Session: 3600,
      Grant: 24 * 3600,
    },
    renderError: (ctx, out) => {
      ctx.type = 'application/json';
      ctx.body = out;
    },
  });

  const calls: EndpointCall[] = [];
  const serverErrors: Error[] = [];
  provider.on('server_error', (_ctx: KoaContextWithOIDC, error: Error) => serverErrors.push(error));
  // Outermost middleware: it sees every answer, refusals included, once the route has run.
  provider.use(async (ctx, next) => {
    if (tokenDelayMs > 0 && ctx.method === 'POST' && ctx.path === '/token')
      await sleep(tokenDelayMs);
    await next();
    const route = ctx.oidc?.route;
    if (route !== 'token' && route !== 'revocation') return;
    const params = (ctx.oidc?.params ?? {}) as Record<string, unknown>;
    const body = (ctx.body ?? {}) as { error?: string };
    calls.push({
      endpoint: route,
      grantType:
        String((route === 'token' ? params.grant_type : params.token_type_hint) ?? '') || undefined,
      status: ctx.status,
      error: body.error,
      clientId: ctx.oidc?.client?.clientId,
    });
  });

  type Details = Awaited<ReturnType<Provider['interactionDetails']>>;

  /** Logs the user named by `login_hint` in, then consents to everything the client asked for. */
  async function interact(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const details = await provider.interactionDetails(req, res);
    const { prompt, params } = details;
    if (prompt.name === 'login') {
      const accountId = String(params.login_hint ?? 'someone');
      await provider.interactionFinished(req, res, { login: { accountId } });
      return;
    }
    await consent(req, res, details);
  }

  /** Grants everything the client asked for, as the signed-in user. */
  async function consent(req: IncomingMessage, res: ServerResponse, details: Details) {
    const { prompt, params } = details;
    const accountId = details.session?.accountId;
    if (prompt.name !== 'consent' || !accountId)
      throw new Error(`unexpected prompt ${prompt.name}`);
    const grant = details.grantId
      ? ((await provider.Grant.find(details.grantId)) ??
        new provider.Grant({ accountId, clientId: String(params.client_id) }))
      : new provider.Grant({ accountId, clientId: String(params.client_id) });
    const missing = prompt.details as {
      missingOIDCScope?: string[];
      missingOIDCClaims?: string[];
      missingResourceScopes?: Record<string, string[]>;
    };
    if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
    if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
    for (const [resource, scopes] of Object.entries(missing.missingResourceScopes ?? {}))
      grant.addResourceScope(resource, scopes.join(' '));
    const grantId = await grant.save();
    grantsByUser.set(accountId, [...(grantsByUser.get(accountId) ?? []), grantId]);
    await provider.interactionFinished(req, res, { consent: { grantId } });
  }

  /**
   * The pages a person sees: GET shows the sign-in or the consent page of the interaction; the
   * forms post to `…/login` (a user name), `…/confirm` (Allow) and `…/abort` (Deny).
   */
  async function pagesFor(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const action = /^\/interaction\/[^/?]+\/(login|confirm|abort)(?:\?|$)/.exec(req.url ?? '')?.[1];
    if (req.method === 'POST' && action) {
      const form = new URLSearchParams(await bodyOf(req));
      const details = await provider.interactionDetails(req, res);
      if (action === 'login') {
        const accountId = form.get('login')?.trim();
        if (!accountId || details.prompt.name !== 'login')
          return page(res, 400, 'Sign in', '<p role="alert">Enter a user name.</p>');
        await provider.interactionFinished(req, res, { login: { accountId } });
      } else if (action === 'confirm') {
        await consent(req, res, details);
      } else {
        await provider.interactionFinished(
          req,
          res,
          { error: 'access_denied', error_description: 'The user denied the request.' },
          { mergeWithLastSubmission: false },
        );
      }
      return;
    }
    const { uid, prompt, params } = await provider.interactionDetails(req, res);
    const client = escapeHtml(String(params.client_id));
    if (prompt.name === 'login') {
      const hint = escapeHtml(String(params.login_hint ?? ''));
      return page(
        res,
        200,
        'Sign in',
        `<p>Sign in to continue to ${client}.</p>
<form method="post" action="/interaction/${uid}/login">
<label>User name <input name="login" value="${hint}" autocomplete="username" required></label>
<button type="submit">Sign in</button>
</form>`,
      );
    }
    const scopes = String(params.scope ?? '')
      .split(' ')
      .filter(Boolean)
      .map((scope) => `<li>${escapeHtml(scope)}</li>`)
      .join('');
    return page(
      res,
      200,
      'Authorize access',
      `<p>${client} asks for access to your account:</p>
<ul>${scopes}</ul>
<form method="post" action="/interaction/${uid}/confirm"><button type="submit">Allow</button></form>
<form method="post" action="/interaction/${uid}/abort"><button type="submit">Deny</button></form>`,
    );
  }

  const providerHandler = provider.callback();
  handle = (req, res) => {
    if (!req.url?.startsWith('/interaction/')) return providerHandler(req, res);
    (options.pages ? pagesFor(req, res) : interact(req, res)).catch((error: Error) => {
      serverErrors.push(error);
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(error.message);
    });
  };

  async function authorize(user: string): Promise<Authorization> {
    const { codeVerifier, codeChallenge } = pkcePair();
    const state = randomBytes(8).toString('hex');
    const url = `${issuer}/auth?${new URLSearchParams({
      client_id: clientId,
      response_type: 'code',
      redirect_uri: redirectUri,
      scope: 'openid offline_access',
      prompt: 'consent',
      login_hint: user,
      state,
      code_challenge: codeChallenge,
      code_challenge_method: 'S256',
    })}`;
    const back = await followToRedirect(url);
    const code = back.get('code');
    if (!code || back.get('state') !== state)
      throw new Error(`authorization failed: ${back.toString()}`);
    return { code, codeVerifier, redirectUri };
  }

  /**
   * Follows an authorization URL made elsewhere (by port-service, say) through login and consent
   * as `user`, and returns what the provider sends back to the redirect URI.
   */
  async function consentAt(authorizeUrl: string, user: string): Promise<URLSearchParams> {
    const url = new URL(authorizeUrl);
    url.searchParams.set('login_hint', user);
    url.searchParams.set('prompt', 'consent');
    return followToRedirect(url.toString());
  }

  async function followToRedirect(start: string): Promise<URLSearchParams> {
    const cookies = new Map<string, string>();
    let url = start;
    for (let hop = 0; hop < 10; hop++) {
      if (url.startsWith(redirectUri)) return new URL(url).searchParams;
      const cookie = [...cookies].map(([name, value]) => `${name}=${value}`).join('; ');
      const answer = await call(url, { headers: cookie ? { cookie } : {} });
      const setCookies = answer.headers['set-cookie'] ?? [];
      for (const line of Array.isArray(setCookies) ? setCookies : [setCookies]) {
        const [pair = ''] = line.split(';');
        const at = pair.indexOf('=');
        const name = pair.slice(0, at).trim();
        const value = pair.slice(at + 1).trim();
        if (!value || /expires=Thu, 01 Jan 1970/i.test(line)) cookies.delete(name);
        else cookies.set(name, value);
      }
      const location = answer.headers.location;
      if (answer.status < 300 || answer.status > 399 || typeof location !== 'string')
        throw new Error(`authorization stopped at ${url}: ${answer.status} ${answer.text}`);
      url = new URL(location, url).toString();
    }
    throw new Error('authorization took more than 10 redirects');
  }

  async function userinfo(accessToken: string): Promise<string | undefined> {
    const answer = await call(`${issuer}/me`, {
      headers: { authorization: `Bearer ${accessToken}` },
    });
    return answer.status === 200 ? answer.json<{ sub: string }>().sub : undefined;
  }

  async function revokeGrants(user: string): Promise<void> {
    for (const grantId of grantsByUser.get(user) ?? []) {
      await provider.AccessToken.revokeByGrantId(grantId);
      await provider.RefreshToken.revokeByGrantId(grantId);
      await provider.AuthorizationCode.revokeByGrantId(grantId);
      await (await provider.Grant.find(grantId))?.destroy();
    }
    grantsByUser.delete(user);
  }

  return {
    issuer,
    authorizeUrl: `${issuer}/auth`,
    tokenUrl: `${issuer}/token`,
    revocationUrl: `${issuer}/token/revocation`,
    userinfoUrl: `${issuer}/me`,
    clientId,
    get clientSecret() {
      return clientSecret;
    },
    redirectUri,
    provider,
    calls,
    grants: (grantType) =>
      calls.filter((c) => c.endpoint === 'token' && c.grantType === grantType && c.status === 200)
        .length,
    refusals: (error, since = 0) =>
      calls
        .slice(since)
        .filter((c) => c.status >= 400 && (error === undefined || c.error === error)),
    serverErrors,
    setAccessTokenTtl: (seconds) => {
      accessTokenTtl = seconds;
    },
    setTokenDelay: (ms) => {
      tokenDelayMs = ms;
    },
    setClientSecret: (secret) => {
      clientSecret = secret;
      setClient();
    },
    authorize,
    consentAt,
    userinfo,
    revokeGrants,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) =>
        server.close((error) => (error ? reject(error) : resolve())),
      );
    },
  };
}
