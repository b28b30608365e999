/** For tests of ports: a real token-storage to register with, on PGlite in a temporary folder. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ServiceDefinition } from '@rds/kit';
import { startTestService, type Answer, type RunningService } from '@rds/kit/testing';
import { generateKey } from '@rds/secrets';
import { definition as tokenStorage } from '@rds/token-storage';

export function startTokenStorage(): Promise<RunningService> {
  return startTestService(tokenStorage as ServiceDefinition<never>, {
    RDS_ENCRYPTION_KEY: generateKey(),
    RDS_DATA_DIR: mkdtempSync(join(tmpdir(), 'rds-token-storage-')),
  });
}

/**
 * What a problem answer says, for an assertion's message: a failing test then reads, e.g.,
 * "501: listFolder is not implemented yet: write it in …", not just "expected 501 to be 200".
 */
export function problemOf(answer: Answer): string {
  try {
    return `${answer.status}: ${answer.json<{ detail?: string }>().detail ?? answer.text}`;
  } catch {
    return `${answer.status}: ${answer.text.slice(0, 200)}`;
  }
}
