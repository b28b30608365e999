/**
 * Starts token-storage for tests on either backend: the machine's PostgreSQL (a fresh schema per
 * run; unreachable PostgreSQL fails the tests) or PGlite in a temporary folder.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { generateKey } from '@rds/secrets';
import { startTestService, type RunningService } from '@rds/kit/testing';
import { definition } from '../src/index.ts';

export type Backend = 'postgres' | 'pglite';
export const BACKENDS: Backend[] = ['postgres', 'pglite'];
export const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface TokenStorage extends RunningService {
  backend: Backend;
  /** Where its data lives: the PostgreSQL schema, or the PGlite folder. */
  schema: string;
  dataDir: string;
  encryptionKey: string;
  /** Stops the service and drops its schema. */
  dispose: () => Promise<void>;
}

export async function startTokenStorage(
  backend: Backend,
  env: Record<string, string> = {},
): Promise<TokenStorage> {
  const schema = `ts_test_${randomBytes(6).toString('hex')}`;
  const dataDir = mkdtempSync(join(tmpdir(), 'rds-token-storage-'));
  const encryptionKey = env.RDS_ENCRYPTION_KEY ?? generateKey();
  const running = await startTestService(definition, {
    RDS_ENCRYPTION_KEY: encryptionKey,
    RDS_DATA_DIR: dataDir,
    ...(backend === 'postgres' ? { DATABASE_URL, RDS_DATABASE_SCHEMA: schema } : {}),
    ...env,
  });
  return {
    ...running,
    backend,
    schema,
    dataDir,
    encryptionKey,
    dispose: async () => {
      await running.close();
      if (backend === 'postgres') await dropSchema(schema);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function dropSchema(schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: DATABASE_URL });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  } finally {
    await client.end();
  }
}

/** A registration as the seed's snippet sends it. */
export function oauthRegistration(servicename: string, overrides: Record<string, unknown> = {}) {
  return {
    servicename,
    authorize_url: 'https://provider.example/oauth/authorize',
    refresh_url: 'https://provider.example/oauth/token',
    client_id: `${servicename}-client`,
    client_secret: `secret-of-${servicename}-${randomBytes(4).toString('hex')}`,
    implements: ['fileStorage', 'metadata'],
    ...overrides,
  };
}
