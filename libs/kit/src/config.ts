import { existsSync, readFileSync } from 'node:fs';
import { parseEnv } from 'node:util';
import { envSchema } from 'env-schema';
import type { FromSchema, JSONSchema } from 'json-schema-to-ts';

/** JSON Schema of a set of settings, each property named like its environment variable. */
export interface SettingsSchema {
  type: 'object';
  properties: Record<string, object>;
  required?: readonly string[];
}

/**
 * The settings a schema describes, as TypeScript sees them once read: a setting with a default
 * is always there. Write the schema `as const satisfies SettingsSchema` and its type once:
 * `type MySettings = SettingsOf<typeof SETTINGS>`. It holds only the settings the schema names,
 * though the environment holds many others.
 */
export type SettingsOf<Schema extends SettingsSchema> = Schema extends JSONSchema
  ? FromSchema<Schema & { additionalProperties: false }>
  : never;

/** Settings every kit service understands. */
export const KIT_SETTINGS = {
  type: 'object',
  properties: {
    HOST: { type: 'string', default: '127.0.0.1' },
    PORT: { type: 'integer', minimum: 0, maximum: 65535, default: 0 },
    LOG_LEVEL: {
      type: 'string',
      enum: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'],
      default: 'info',
    },
    RDS_SERVICE_SECRET: { type: 'string', minLength: 32 },
    RDS_VALIDATE_RESPONSES: { type: 'boolean', default: false },
    RDS_BODY_LIMIT: { type: 'integer', minimum: 1024, default: 1048576 },
    RDS_SHUTDOWN_DELAY_MS: { type: 'integer', minimum: 0, default: 3000 },
    RDS_SHUTDOWN_TIMEOUT_MS: { type: 'integer', minimum: 1000, default: 25000 },
    OTEL_EXPORTER_OTLP_ENDPOINT: { type: 'string', pattern: '^https?://' },
  },
  required: ['RDS_SERVICE_SECRET'],
} as const satisfies SettingsSchema;

export type KitSettings = SettingsOf<typeof KIT_SETTINGS>;

export class ConfigError extends Error {}

/**
 * Reads settings from the environment, and from the file named by `RDS_CONFIG_FILE` (`NAME=value`
 * lines) where the environment does not set them. Throws a {@link ConfigError} naming the bad
 * setting, never its value. With `otherServices`, every `RDS_<SERVICE>_URL` there is kept too,
 * declared or not: for a service that finds ports by the names users give.
 */
export function loadSettings<T>(
  schema: SettingsSchema,
  env: NodeJS.ProcessEnv = process.env,
  { otherServices = false }: { otherServices?: boolean } = {},
): KitSettings & T {
  const declared = readSettings<KitSettings & T>(
    {
      type: 'object',
      properties: { ...KIT_SETTINGS.properties, ...schema.properties },
      required: [...new Set([...KIT_SETTINGS.required, ...(schema.required ?? [])])],
    },
    env,
  );
  return { ...(otherServices ? serviceUrls(env) : {}), ...declared };
}

const SERVICE_URL = /^RDS_[A-Z0-9_]+_URL$/;

/** Where every other RDS service is (`RDS_<SERVICE>_URL`), declared or not; each an http(s) URL. */
function serviceUrls(env: NodeJS.ProcessEnv): Record<string, string> {
  const file = env.RDS_CONFIG_FILE ? parseEnv(readFileSync(env.RDS_CONFIG_FILE, 'utf8')) : {};
  const urls = Object.entries({ ...file, ...definedOnly(env) }).filter(([name]) =>
    SERVICE_URL.test(name),
  );
  for (const [name, value] of urls) {
    if (!/^https?:\/\//.test(value ?? ''))
      throw new ConfigError(`Invalid configuration: ${name} must be an http(s) URL`);
  }
  return Object.fromEntries(urls) as Record<string, string>;
}

/** Like {@link loadSettings}, for commands that are no service: only the settings of `schema`. */
export function readSettings<T>(schema: SettingsSchema, env: NodeJS.ProcessEnv = process.env): T {
  const file = env.RDS_CONFIG_FILE;
  if (file && !existsSync(file)) throw new ConfigError(`RDS_CONFIG_FILE: no such file ${file}`);
  const merged = schema;
  try {
    return envSchema({
      schema: merged,
      data: [definedOnly(env)],
      env: false,
      ...(file ? { dotenv: { path: file } } : {}),
    }) as unknown as T;
  } catch (error) {
    const message = (error as Error).message.replace(/env\//g, '').replace(/^env /, '');
    throw new ConfigError(`Invalid configuration: ${message}`);
  }
}

function definedOnly(env: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(
    Object.entries(env).filter(([, v]) => v !== undefined && v !== ''),
  ) as Record<string, string>;
}
