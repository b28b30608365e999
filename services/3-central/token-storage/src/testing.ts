/**
 * A real token-storage for the tests of other services (ports register with it, use cases ask it
 * which ports they may call): on PGlite in a temporary folder, removed when it closes.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestService, type RunningService } from '@rds/kit/testing';
import { generateKey } from '@rds/secrets';
import { definition } from './index.ts';

/** `env` adds to the test settings or overrides them, e.g. the `PORT` to listen on. */
export async function startTokenStorage(env: Record<string, string> = {}): Promise<RunningService> {
  const dataDir = mkdtempSync(join(tmpdir(), 'rds-token-storage-'));
  const running = await startTestService(definition, {
    RDS_ENCRYPTION_KEY: generateKey(),
    RDS_DATA_DIR: dataDir,
    ...env,
  });
  return {
    ...running,
    close: async () => {
      await running.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
