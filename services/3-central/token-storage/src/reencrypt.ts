import { createKeyRing } from '@rds/secrets';
import { openServiceDatabase, type DatabaseSettings } from '@rds/storage';
import { fileURLToPath } from 'node:url';
import { resealConnections } from './connections.ts';
import { resealClientSecrets } from './registry.ts';

/**
 * Re-seals every secret under the current (first) key of `RDS_ENCRYPTION_KEY`; the old keys must
 * still be listed after it. In one transaction: a failure leaves every value as it was.
 */
export async function reencryptAll(
  settings: DatabaseSettings & { RDS_ENCRYPTION_KEY: string },
): Promise<{ clientSecrets: number; connectionSecrets: number }> {
  const keys = createKeyRing(settings.RDS_ENCRYPTION_KEY);
  const db = await openServiceDatabase('token-storage', settings, {
    migrations: fileURLToPath(new URL('./migrations', import.meta.url)),
    log: console,
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
