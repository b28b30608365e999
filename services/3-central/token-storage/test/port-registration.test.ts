/**
 * A port's registration as `registerPort` of @rds/ports sends it, against token-storage: a port
 * may start first and wait for it; a registration it refuses is not retried.
 */
import { expect, test } from 'vitest';
import { serviceContract } from '@rds/contracts';
import { ContractClient, HttpClient, createTokenSigner } from '@rds/kit';
import { TEST_SECRET } from '@rds/kit/testing';
import { registerPort } from '@rds/ports';
import { freePort } from '@rds/test-peers';
import { startTokenStorage } from '../src/testing.ts';

const registration = {
  servicename: 'port-late',
  implements: ['fileStorage' as const],
  credentials: { userId: true, password: true },
};
const quiet = { info: () => undefined, warn: () => undefined };
const tokenStorageOf = (client: HttpClient) =>
  ContractClient.of(client, serviceContract('token-storage'));

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
  const registering = registerPort(await tokenStorageOf(client), registration, {
    logger: { ...quiet, warn: (o: unknown) => warnings.push(o) },
    baseDelayMs: 100,
    maxDelayMs: 400,
  });
  await new Promise((r) => setTimeout(r, 800));
  const store = await startTokenStorage({ PORT: String(port) });
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
  const store = await startTokenStorage();
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
    await expect(
      registerPort(await tokenStorageOf(client), bad, { logger: quiet }),
    ).rejects.toMatchObject({
      upstreamStatus: 400,
    });
  } finally {
    await store.close();
    await client.close();
  }
});
