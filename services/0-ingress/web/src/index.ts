/**
 * web (layer 0): the one public entry point. The UI, sign-in with OpenID Connect (or one local
 * user on 127.0.0.1 in the embedded default), and the UI's API, which calls layer 2 for the
 * signed-in user. Keeps nothing but the sessions: sealed cookies, live while its store holds them.
 */
import { fileURLToPath } from 'node:url';
import fastifyCookie from '@fastify/cookie';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { serviceContract } from '@rds/contracts';
import { ConfigError, defineService } from '@rds/kit';
import { serviceDatabase } from '@rds/storage';
import { apiHandlers, CALLS } from './api.ts';
import { headersPlugin, monitoringPlugin } from './headers.ts';
import { cookieJar, securityHandlers } from './session.ts';
import { SessionStore } from './sessions.ts';
import { SETTINGS, type WebSettings } from './settings.ts';
import { isLoopback, signInHandlers, type OidcSettings } from './sign-in.ts';
import { uiPlugin } from './ui.ts';
import packageJson from '../package.json' with { type: 'json' };

export { ensureUi, uiIsStale, UI_DIST } from './ui.ts';
export { SETTINGS, type WebSettings } from './settings.ts';

/** Who everyone is without an identity provider (the embedded default), in `RDS_WEB_TENANT`. */
export const LOCAL_USER = 'local';

const MIGRATIONS = fileURLToPath(new URL('./migrations', import.meta.url));

/** OpenID Connect when an issuer is set; then the client and the public address are needed too. */
function oidcOf(settings: WebSettings): OidcSettings | undefined {
  const { RDS_OIDC_ISSUER: issuer, RDS_OIDC_CLIENT_ID: clientId } = settings;
  if (!issuer) return undefined;
  const missing = ['RDS_OIDC_CLIENT_ID', 'RDS_OIDC_CLIENT_SECRET', 'RDS_WEB_PUBLIC_URL'].filter(
    (name) => !settings[name as keyof WebSettings],
  );
  if (missing.length > 0 || !clientId)
    throw new ConfigError(`Invalid configuration: RDS_OIDC_ISSUER needs ${missing.join(', ')}`);
  return {
    issuer,
    clientId,
    clientSecret: settings.RDS_OIDC_CLIENT_SECRET!,
    scope: settings.RDS_OIDC_SCOPE,
  };
}

/** Without an identity provider everyone who reaches web is the local user: only this machine may. */
function refuseOpenLocalMode(host: string, publicUrl: string | undefined): void {
  const publicHost = publicUrl ? new URL(publicUrl).hostname : '127.0.0.1';
  if (!isLoopback(host) || !isLoopback(publicHost)) {
    throw new ConfigError(
      'Invalid configuration: without RDS_OIDC_ISSUER, web signs everyone in as one local user, ' +
        'so it listens on 127.0.0.1 or localhost only (HOST and RDS_WEB_PUBLIC_URL); ' +
        'set RDS_OIDC_ISSUER to serve others',
    );
  }
}

export const definition = defineService({
  name: 'web',
  layer: 0,
  version: packageJson.version,
  contract: serviceContract('web'),
  settings: SETTINGS,
  calls: CALLS,
  // The sessions: PostgreSQL, or PGlite in RDS_DATA_DIR/web.
  database: serviceDatabase(MIGRATIONS),
  setup: async ({ settings, clients, database, logger }) => {
    const oidc = oidcOf(settings);
    if (!oidc) refuseOpenLocalMode(settings.HOST, settings.RDS_WEB_PUBLIC_URL);
    const publicUrl = (request: FastifyRequest) =>
      settings.RDS_WEB_PUBLIC_URL ?? `${request.protocol}://${request.host}`;
    const secure = settings.RDS_WEB_PUBLIC_URL?.startsWith('https:') ?? !oidc;
    const jar = cookieJar(
      settings.RDS_SERVICE_SECRET,
      new SessionStore(database),
      secure,
      settings.RDS_WEB_SESSION_TTL_S,
    );
    return {
      plugins: [
        headersPlugin(),
        monitoringPlugin(settings.RDS_WEB_MONITORING_TOKEN),
        fastifyCookie as unknown as FastifyPluginAsync,
        uiPlugin(),
      ],
      // The kit checks them as a request arrives, before its body is read.
      securityHandlers: securityHandlers(jar),
      handlers: {
        ...signInHandlers({
          jar,
          tenant: settings.RDS_WEB_TENANT,
          localUser: LOCAL_USER,
          publicUrl,
          logger,
          ...(oidc ? { oidc } : {}),
        }),
        ...apiHandlers({
          layer2: clients,
          publicUrl,
          signIn: oidc ? 'oidc' : 'local',
        }),
      },
    };
  },
});

export default definition;
