/**
 * The registry as the use cases read it: `Callees` of @rds/ports asks token-storage whether a
 * name is a port of the interface a call needs.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { serviceContract } from '@rds/contracts';
import { ContractClient, HttpClient, ProblemError, createTokenSigner } from '@rds/kit';
import { TEST_SECRET, type RunningService } from '@rds/kit/testing';
import { Callees, registerPort } from '@rds/ports';
import { startTokenStorage } from '../src/testing.ts';

let tokenStorage: RunningService;
const clients: HttpClient[] = [];
const quiet = { info: () => undefined, warn: () => undefined };

const clientAs = (issuer: string) => {
  const client = new HttpClient({
    name: 'token-storage',
    baseUrl: tokenStorage.url,
    serviceToken: { sign: createTokenSigner(TEST_SECRET), issuer, audience: 'token-storage' },
  });
  clients.push(client);
  return ContractClient.of(client, serviceContract('token-storage'));
};

beforeAll(async () => {
  tokenStorage = await startTokenStorage();
  const credentials = { userId: true, password: true };
  await registerPort(
    await clientAs('webdav'),
    { servicename: 'webdav', implements: ['fileStorage'], credentials },
    { logger: quiet },
  );
  await registerPort(
    await clientAs('zenodo'),
    { servicename: 'zenodo', implements: ['repository'], credentials },
    { logger: quiet },
  );
});
afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await tokenStorage.close();
});

const refusal = (promise: Promise<void>) =>
  promise.then(
    () => undefined,
    (error: unknown) => error as ProblemError,
  );

test('a registered port is a callee for the interface it implements, and for no other', async () => {
  const callees = new Callees(await clientAs('exporter'));
  await expect(callees.check('webdav', 'fileStorage')).resolves.toBeUndefined();
  await expect(callees.check('zenodo', 'repository')).resolves.toBeUndefined();
  const asSource = await refusal(callees.check('zenodo', 'fileStorage'));
  expect(asSource).toBeInstanceOf(ProblemError);
  expect(asSource?.statusCode).toBe(422);
  expect(asSource?.message).toBe('zenodo is not a storage RDS reads files from.');
  expect((await refusal(callees.check('webdav', 'repository')))?.message).toBe(
    'webdav is not a repository RDS publishes to.',
  );
  expect((await refusal(callees.check('osf', 'repository')))?.message).toBe(
    'osf is not a repository RDS publishes to: RDS has no such service.',
  );
});

test('a service that is no registered port, or no port name at all, is never called', async () => {
  const callees = new Callees(await clientAs('exporter'));
  for (const name of [
    'research-manager',
    'token-storage',
    'exporter',
    '../service/zenodo',
    12345,
  ]) {
    const refused = await refusal(callees.check(name, 'fileStorage'));
    expect(refused?.init.messageKey, String(name)).toBe('port.notCallable');
  }
});
