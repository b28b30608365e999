/**
 * invenio-rdm (layer 1, repository): Zenodo — production and sandbox — and any other InvenioRDM
 * instance as a target that takes files and metadata and publishes them with a DOI. One process
 * serves one instance, under the service name it registers with token-storage.
 */
import { HttpClient, readSettings, type SettingsOf, type SettingsSchema } from '@rds/kit';
import { repositoryPort, type Registration } from '@rds/ports';
import { fileOperations, type Limits } from './files.ts';
import { REQUIRED_METADATA, type MetadataRules } from './metadata.ts';
import { problems } from './problems.ts';
import { RateLimitGate } from './rate-limits.ts';
import { recordOperations } from './records.ts';
import { InvenioSession, LONGEST_WAIT_MS, type Upstream } from './session.ts';
import packageJson from '../package.json' with { type: 'json' };

const SERVICENAME = { type: 'string', pattern: '^[a-z0-9][a-z0-9._-]{0,62}$' } as const;
const GB = 1000 ** 3;
/**
 * InvenioRDM stores a file's content under its key, of at most 255 characters
 * (invenio-files-rest FILES_REST_OBJECT_KEY_MAX_LEN; longer: 400 "Filename is too long.").
 */
const MAX_KEY_LENGTH = 255;

/**
 * The publisher a record names when its metadata names none: DataCite needs one, and InvenioRDM
 * refuses to publish with a DataCite DOI without it. Zenodo's own deposit form fills in
 * "Zenodo"; another instance is named as users see it, unless RDS_INVENIO_PUBLISHER says better.
 */
function defaultPublisher(settings: InvenioSettings, displayName: string): string {
  const zenodo =
    /(^|\.)zenodo\.org$/.test(new URL(settings.RDS_INVENIO_URL).hostname) ||
    /^zenodo\b/.test(settings.RDS_INVENIO_SERVICENAME);
  return settings.RDS_INVENIO_PUBLISHER ?? (zenodo ? 'Zenodo' : displayName);
}

/** Zenodo's limits are the defaults: 100 files and 50 GB per record, no folders. */
function settingsSchema(name: string) {
  return {
    type: 'object',
    properties: {
      RDS_INVENIO_URL: { type: 'string', pattern: '^https?://' },
      RDS_INVENIO_SERVICENAME: { ...SERVICENAME, default: name },
      RDS_INVENIO_DISPLAY_NAME: { type: 'string', minLength: 1, maxLength: 200 },
      RDS_INVENIO_OAUTH_CLIENT_ID: { type: 'string', minLength: 1 },
      RDS_INVENIO_OAUTH_CLIENT_SECRET: { type: 'string', minLength: 1 },
      RDS_INVENIO_OAUTH_SCOPE: { type: 'string', default: 'deposit:write deposit:actions' },
      RDS_INVENIO_MAX_FILES: { type: 'integer', minimum: 1, default: 100 },
      RDS_INVENIO_MAX_FILE_SIZE: { type: 'integer', minimum: 1, default: 50 * GB },
      RDS_INVENIO_MAX_RECORD_SIZE: { type: 'integer', minimum: 1, default: 50 * GB },
      RDS_INVENIO_FOLDERS: { type: 'boolean', default: false },
      // Zenodo turns InvenioRDM's RECORDS_RESOURCES_ALLOW_EMPTY_FILES off; InvenioRDM's default is on.
      RDS_INVENIO_EMPTY_FILES: { type: 'boolean', default: false },
      RDS_INVENIO_PUBLISHER: { type: 'string', minLength: 1, maxLength: 500 },
    },
    required: ['RDS_INVENIO_URL'],
  } as const satisfies SettingsSchema;
}

export type InvenioSettings = SettingsOf<ReturnType<typeof settingsSchema>>;

/**
 * How users connect: through the instance's OAuth2 when RDS has a client there, otherwise with a
 * personal access token, kept by token-storage as the password of credentials.
 */
export function registrationOf(settings: InvenioSettings): Registration {
  const base = settings.RDS_INVENIO_URL.replace(/\/+$/, '');
  const clientId = settings.RDS_INVENIO_OAUTH_CLIENT_ID;
  const clientSecret = settings.RDS_INVENIO_OAUTH_CLIENT_SECRET;
  if (Boolean(clientId) !== Boolean(clientSecret)) {
    throw new Error(
      'RDS_INVENIO_OAUTH_CLIENT_ID and RDS_INVENIO_OAUTH_CLIENT_SECRET go together: set both or neither',
    );
  }
  const host = new URL(base).host;
  return {
    servicename: settings.RDS_INVENIO_SERVICENAME,
    implements: ['repository'],
    displayName: settings.RDS_INVENIO_DISPLAY_NAME ?? host,
    description: {
      en: `Publish research data with a DOI on ${host}.`,
      de: `Forschungsdaten mit DOI auf ${host} veröffentlichen.`,
    },
    infoUrl: base,
    ...(clientId && clientSecret
      ? {
          authorize_url: `${base}/oauth/authorize`,
          refresh_url: `${base}/oauth/token`,
          client_id: clientId,
          client_secret: clientSecret,
          scope: settings.RDS_INVENIO_OAUTH_SCOPE,
        }
      : { credentials: { userId: false, password: true } }),
  };
}

/**
 * The port for one InvenioRDM instance, serving and registering as `name`. The kit names a
 * service by its definition, so the definition is made per name; see {@link definitionFromEnvironment}.
 */
export function inveniordmDefinition(name = 'zenodo') {
  return repositoryPort({
    name,
    version: packageJson.version,
    registration: registrationOf,
    settings: settingsSchema(name),
    refusals: (registration) => {
      const displayName = registration.displayName ?? name;
      return {
        missing: () => problems.reconnect(name, displayName, 'missing'),
        refused: () => problems.reconnect(name, displayName, 'refused'),
      };
    },
    setup: ({ settings }) => {
      if (settings.RDS_INVENIO_SERVICENAME !== name) {
        throw new Error(
          `RDS_INVENIO_SERVICENAME is ${settings.RDS_INVENIO_SERVICENAME}, but this port was made as ${name}: make it with inveniordmDefinition(RDS_INVENIO_SERVICENAME)`,
        );
      }
      const displayName = registrationOf(settings).displayName ?? name;
      const http = new HttpClient({
        name,
        baseUrl: settings.RDS_INVENIO_URL,
        // Time to the answer after the last byte sent, and between chunks: uploads may be long.
        timeoutMs: 120_000,
        // The session retries, through the rate-limit gate.
        retry: { attempts: 1 },
      });
      const upstream: Upstream = {
        servicename: name,
        displayName,
        http,
        gate: new RateLimitGate(LONGEST_WAIT_MS),
      };
      const rules: MetadataRules = {
        servicename: name,
        publisher: defaultPublisher(settings, displayName),
      };
      const limits: Limits = {
        maxFiles: settings.RDS_INVENIO_MAX_FILES,
        maxFileSize: settings.RDS_INVENIO_MAX_FILE_SIZE,
        maxRecordSize: settings.RDS_INVENIO_MAX_RECORD_SIZE,
        folders: settings.RDS_INVENIO_FOLDERS,
        maxKeyLength: MAX_KEY_LENGTH,
        emptyFiles: settings.RDS_INVENIO_EMPTY_FILES,
      };
      const records = recordOperations(upstream, rules, {
        ...limits,
        requiredMetadata: REQUIRED_METADATA,
        publicationModes: ['draft', 'publish', 'new-version'],
        checksum: 'md5',
      });
      const files = fileOperations(upstream, limits);
      return {
        open: (user) => {
          const session = new InvenioSession(upstream, user);
          return { ...records(session), ...files(session) };
        },
        close: () => http.close(),
      };
    },
  });
}

/** The definition for the instance `RDS_INVENIO_SERVICENAME` names (`zenodo` when unset). */
export function definitionFromEnvironment(env: NodeJS.ProcessEnv = process.env) {
  const { RDS_INVENIO_SERVICENAME: name } = readSettings<{ RDS_INVENIO_SERVICENAME: string }>(
    {
      type: 'object',
      properties: { RDS_INVENIO_SERVICENAME: { ...SERVICENAME, default: 'zenodo' } },
    },
    env,
  );
  return inveniordmDefinition(name);
}

export const definition = inveniordmDefinition('zenodo');

export default definition;
