/**
 * s3 (layer 1, fileStorage): files in an Amazon S3 bucket, or on any S3-compatible server, as a
 * source and a target of files. Each user connects with an access key id and secret access key;
 * every path lives under the configured prefix, and none reaches above it.
 */
import type { SettingsSchema } from '@rds/kit';
import { fileStoragePort, type Registration } from '@rds/ports';
import { BucketFiles } from './bucket-files.ts';
import { S3Clients } from './clients.ts';
import { SERVICENAME } from './errors.ts';
import { KeySpace } from './keys.ts';
import { S3Session } from './session.ts';
import packageJson from '../package.json' with { type: 'json' };

const SETTINGS = {
  type: 'object',
  properties: {
    RDS_S3_ENDPOINT: { type: 'string', pattern: '^https?://' },
    RDS_S3_REGION: { type: 'string', minLength: 1, default: 'us-east-1' },
    // Only characters S3-compatible servers take in a bucket name, so it cannot change the URL.
    RDS_S3_BUCKET: { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9._-]*$', maxLength: 255 },
    RDS_S3_PREFIX: { type: 'string' },
    // Most S3-compatible servers serve buckets only as paths, not as host names.
    RDS_S3_FORCE_PATH_STYLE: { type: 'boolean', default: true },
    RDS_S3_TIMEOUT_MS: { type: 'integer', minimum: 100, default: 30_000 },
  },
  required: ['RDS_S3_BUCKET'],
} as const satisfies SettingsSchema;

export const REGISTRATION: Registration = {
  servicename: SERVICENAME,
  implements: ['fileStorage'],
  // The user id is the access key id, the password the secret access key.
  credentials: { userId: true, password: true },
  displayName: 'Amazon S3 / S3-compatible storage',
  description: {
    en: 'Files in an Amazon S3 bucket or on an S3-compatible server, reached with an access key.',
    de: 'Dateien in einem Amazon-S3-Bucket oder auf einem S3-kompatiblen Server, erreicht mit einem Zugriffsschlüssel.',
  },
};

export const definition = fileStoragePort({
  name: SERVICENAME,
  version: packageJson.version,
  registration: REGISTRATION,
  settings: SETTINGS,
  setup: ({ settings }) => {
    const keys = KeySpace.of(settings.RDS_S3_PREFIX);
    const clients = new S3Clients({
      url: settings.RDS_S3_ENDPOINT,
      region: settings.RDS_S3_REGION,
      forcePathStyle: settings.RDS_S3_FORCE_PATH_STYLE,
      timeoutMs: settings.RDS_S3_TIMEOUT_MS,
    });
    return {
      open: (user) => new BucketFiles(S3Session.of(clients, user), settings.RDS_S3_BUCKET, keys),
      close: async () => clients.close(),
    };
  },
});

export default definition;
