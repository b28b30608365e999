import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { ConfigError, type SettingsSchema } from '../src/index.ts';
import { loadSettings } from '../src/host.ts';

const SECRET = 's'.repeat(40);
const schema: SettingsSchema = {
  type: 'object',
  properties: { RDS_TOKEN_STORAGE_URL: { type: 'string', pattern: '^https?://' } },
  required: ['RDS_TOKEN_STORAGE_URL'],
};
const URL_OK = 'http://127.0.0.1:1234';

describe('configuration', () => {
  test('comes from environment variables, with defaults and types', () => {
    const settings = loadSettings<{ RDS_TOKEN_STORAGE_URL: string }>(schema, {
      RDS_SERVICE_SECRET: SECRET,
      RDS_TOKEN_STORAGE_URL: URL_OK,
      PORT: '8080',
    });
    expect(settings).toMatchObject({
      PORT: 8080,
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      RDS_TOKEN_STORAGE_URL: URL_OK,
    });
  });

  test('a service is given only the addresses it declares; one that finds ports by name, every RDS_<SERVICE>_URL, each a URL', () => {
    const env = {
      RDS_SERVICE_SECRET: SECRET,
      RDS_TOKEN_STORAGE_URL: URL_OK,
      RDS_ZENODO_URL: 'http://127.0.0.1:9',
    };
    const declaredOnly = loadSettings<Record<string, string>>(schema, env);
    expect(declaredOnly.RDS_TOKEN_STORAGE_URL).toBe(URL_OK);
    expect(declaredOnly).not.toHaveProperty('RDS_ZENODO_URL');
    const findingPorts = loadSettings<Record<string, string>>(schema, env, { otherServices: true });
    expect(findingPorts.RDS_ZENODO_URL).toBe('http://127.0.0.1:9');
    expect(() =>
      loadSettings(schema, { ...env, RDS_ZENODO_URL: 'zenodo' }, { otherServices: true }),
    ).toThrow(/RDS_ZENODO_URL/);
  });

  test('a missing setting is named', () => {
    expect(() => loadSettings(schema, { RDS_SERVICE_SECRET: SECRET })).toThrow(
      /RDS_TOKEN_STORAGE_URL/,
    );
  });

  test('a bad setting is named, and its value is not printed', () => {
    const attempt = () =>
      loadSettings(schema, {
        RDS_SERVICE_SECRET: 'short-secret-value',
        RDS_TOKEN_STORAGE_URL: URL_OK,
      });
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(/RDS_SERVICE_SECRET must NOT have fewer than 32 characters/);
    expect(attempt).not.toThrow(/short-secret-value/);
    expect(() =>
      loadSettings(schema, {
        RDS_SERVICE_SECRET: SECRET,
        RDS_TOKEN_STORAGE_URL: URL_OK,
        PORT: 'eighty',
      }),
    ).toThrow(/PORT must be integer/);
  });

  test('one file (RDS_CONFIG_FILE) holds any setting; the environment wins over it', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'rds-config-')), 'rds.env');
    writeFileSync(
      file,
      `RDS_SERVICE_SECRET=${SECRET}\nRDS_TOKEN_STORAGE_URL=${URL_OK}\nPORT=7000\n`,
    );
    const settings = loadSettings(schema, { RDS_CONFIG_FILE: file, PORT: '7001' });
    expect(settings).toMatchObject({
      RDS_SERVICE_SECRET: SECRET,
      RDS_TOKEN_STORAGE_URL: URL_OK,
      PORT: 7001,
    });
  });

  test('a config file that does not exist is an error, not silently ignored', () => {
    expect(() => loadSettings(schema, { RDS_CONFIG_FILE: '/nonexistent/rds.env' })).toThrow(
      /RDS_CONFIG_FILE/,
    );
  });
});
