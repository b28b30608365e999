import { createServer } from 'node:net';
import { once } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { HttpClient, createTokenSigner, type ServiceDefinition } from '@rds/kit';
import { startTestService, TEST_SECRET } from '@rds/kit/testing';
import { generateKey } from '@rds/secrets';
import { definition as tokenStorage } from '@rds/token-storage';
import { registerPort } from '../src/index.ts';

async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  return port;
}

const registration = {
  servicename: 'port-late',
  implements: ['fileStorage' as const],
  credentials: { userId: true, password: true },
};
const quiet = { info: () => undefined, warn: () => undefined };

test('a port started before token-storage keeps trying until it answers, then registers', async () => {
  const port = await freePort();
  const client = new HttpClient({
    name: 'token-storage',
    baseUrl: `http://127.0.0.1:${port}`,
    serviceToken: {
      sign: createTokenSigner(TEST_SECRET),
      issuer: 'port-late',
      audience: 'token-storage',
    },
    retry: { attempts: 1 },
  });
  const warnings: unknown[] = [];
  const registering = registerPort(client, registration, {
    logger: { ...quiet, warn: (o: unknown) => warnings.push(o) },
    baseDelayMs: 100,
    maxDelayMs: 400,
  });
  await new Promise((r) => setTimeout(r, 800));
  const store = await startTestService(tokenStorage as ServiceDefinition<never>, {
    PORT: String(port),
    RDS_ENCRYPTION_KEY: generateKey(),
    RDS_DATA_DIR: mkdtempSync(join(tmpdir(), 'rds-ports-')),
  });
  try {
    await registering;
    expect(warnings.length).toBeGreaterThanOrEqual(2);
    const listed = await client.json<{ servicename: string }>({ path: '/service/port-late' });
    expect(listed.servicename).toBe('port-late');
  } finally {
    await store.close();
    await client.close();
  }
});

test('a registration token-storage refuses is a configuration error, not retried', async () => {
  const store = await startTestService(tokenStorage as ServiceDefinition<never>, {
    RDS_ENCRYPTION_KEY: generateKey(),
    RDS_DATA_DIR: mkdtempSync(join(tmpdir(), 'rds-ports-')),
  });
  const client = new HttpClient({
    name: 'token-storage',
    baseUrl: store.url,
    serviceToken: {
      sign: createTokenSigner(TEST_SECRET),
      issuer: 'port-bad',
      audience: 'token-storage',
    },
  });
  try {
    const bad = { ...registration, servicename: 'port-bad', implements: [] as never[] };
    await expect(registerPort(client, bad, { logger: quiet })).rejects.toMatchObject({
      upstreamStatus: 400,
    });
  } finally {
    await store.close();
    await client.close();
  }
});
