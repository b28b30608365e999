/**
 * webdav (layer 1, fileStorage): a user's files on ownCloud, Nextcloud or any WebDAV server, as
 * a source and a target of files. Users connect with OAuth2 where the server has RDS registered as
 * a client, and with an app password otherwise.
 */
import { ConfigError, HttpClient, type SettingsOf, type SettingsSchema } from '@rds/kit';
import { fileStoragePort, type Registration } from '@rds/ports';
import { DavSession, SERVICENAME } from './session.ts';
import { UserFiles, type ServerLayout, type UploadOptions } from './user-files.ts';
import { UserIds } from './user-ids.ts';
import packageJson from '../package.json' with { type: 'json' };

const MiB = 1024 * 1024;

const SETTINGS = {
  type: 'object',
  properties: {
    RDS_WEBDAV_SERVER_URL: { type: 'string', pattern: '^https?://' },
    RDS_WEBDAV_FILES_PATH: {
      type: 'string',
      pattern: '^/',
      default: '/remote.php/dav/files/{user}',
    },
    RDS_WEBDAV_OAUTH_CLIENT_ID: { type: 'string', minLength: 1 },
    RDS_WEBDAV_OAUTH_CLIENT_SECRET: { type: 'string', minLength: 1 },
    // Proxies in front of many servers refuse request bodies above 100 MB.
    RDS_WEBDAV_CHUNK_THRESHOLD: { type: 'integer', minimum: 0, default: 50 * MiB },
    // Nextcloud takes chunks of 5 MiB to 5 GiB (the last may be smaller).
    RDS_WEBDAV_CHUNK_SIZE: {
      type: 'integer',
      minimum: 5 * MiB,
      maximum: 5 * 1024 * MiB,
      default: 50 * MiB,
    },
    RDS_WEBDAV_TIMEOUT_MS: { type: 'integer', minimum: 100, default: 30_000 },
    RDS_WEBDAV_ASSEMBLY_TIMEOUT_MS: { type: 'integer', minimum: 100, default: 600_000 },
  },
  required: ['RDS_WEBDAV_SERVER_URL'],
} as const satisfies SettingsSchema;

export type WebDavSettings = SettingsOf<typeof SETTINGS>;

const ABOUT = {
  displayName: 'ownCloud / Nextcloud (WebDAV)',
  description: {
    en: 'Files in ownCloud, Nextcloud or on any WebDAV server.',
    de: 'Dateien in ownCloud, Nextcloud oder auf einem beliebigen WebDAV-Server.',
  },
};

/** OAuth2 with the server's OAuth2 app where RDS has a client there; app passwords otherwise. */
export function registrationFor(settings: WebDavSettings): Registration {
  const { RDS_WEBDAV_OAUTH_CLIENT_ID: clientId, RDS_WEBDAV_OAUTH_CLIENT_SECRET: clientSecret } =
    settings;
  if (!clientId !== !clientSecret) {
    throw new ConfigError(
      'RDS_WEBDAV_OAUTH_CLIENT_ID and RDS_WEBDAV_OAUTH_CLIENT_SECRET are set together or not at all',
    );
  }
  const base = settings.RDS_WEBDAV_SERVER_URL.replace(/\/$/, '');
  if (!clientId || !clientSecret) {
    return {
      servicename: SERVICENAME,
      implements: ['fileStorage'],
      credentials: { userId: true, password: true },
      ...ABOUT,
    };
  }
  return {
    servicename: SERVICENAME,
    implements: ['fileStorage'],
    authorize_url: `${base}/index.php/apps/oauth2/authorize`,
    refresh_url: `${base}/index.php/apps/oauth2/api/v1/token`,
    client_id: clientId,
    client_secret: clientSecret,
    ...ABOUT,
  };
}

export const definition = fileStoragePort({
  name: SERVICENAME,
  version: packageJson.version,
  registration: registrationFor,
  settings: SETTINGS,
  setup: ({ settings }) => {
    const http = new HttpClient({
      name: SERVICENAME,
      baseUrl: settings.RDS_WEBDAV_SERVER_URL,
      timeoutMs: settings.RDS_WEBDAV_TIMEOUT_MS,
    });
    const userIds = new UserIds();
    const layout: ServerLayout = {
      baseUrl: settings.RDS_WEBDAV_SERVER_URL,
      filesPath: settings.RDS_WEBDAV_FILES_PATH,
      uploadsPath: '/remote.php/dav/uploads/{user}',
    };
    const uploads: UploadOptions = {
      chunkThreshold: settings.RDS_WEBDAV_CHUNK_THRESHOLD,
      chunkSize: settings.RDS_WEBDAV_CHUNK_SIZE,
      assemblyTimeoutMs: settings.RDS_WEBDAV_ASSEMBLY_TIMEOUT_MS,
    };
    return {
      open: async (user) => {
        const session = new DavSession(http, user);
        return new UserFiles(session, layout, uploads, await userIds.of(session));
      },
      close: () => http.close(),
    };
  },
});

export default definition;
