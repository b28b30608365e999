import { createKeyRing } from '@rds/secrets';
import { openDatabase } from '@rds/storage';
import { fileURLToPath } from 'node:url';
import { resealConnections } from './connections.ts';
import { resealClientSecrets } from './registry.ts';

/**
 * Re-seals every secret under the current (first) key of `RDS_ENCRYPTION_KEY`; the old keys must
 * still be listed after it. In one transaction: a failure leaves every value as it was.
 */
export async function reencryptAll(settings: {
  DATABASE_URL?: string;
  RDS_DATA_DIR: string;
  RDS_DATABASE_SCHEMA?: string;
  RDS_ENCRYPTION_KEY: string;
}): Promise<{ clientSecrets: number; connectionSecrets: number }> {
  const keys = createKeyRing(settings.RDS_ENCRYPTION_KEY);
  const db = await openDatabase({
    databaseUrl: settings.DATABASE_URL,
    dataDir: `${settings.RDS_DATA_DIR}/token-storage`,
    migrations: fileURLToPath(new URL('./migrations', import.meta.url)),
    schema: settings.RDS_DATABASE_SCHEMA,
  });
  try {
    return await db.transaction(async (tx) => ({
      clientSecrets: await resealClientSecrets(tx, keys),
      connectionSecrets: await resealConnections(tx, keys),
    }));
  } finally {
    await db.close();
  }
}
