/**
 * A connector written from the seed's Python `register_service` snippet registers with
 * token-storage unchanged: run with Debian's python3 and requests against `rds serve
 * token-storage`, twice with the same data (a no-op), then with a rotated client secret, which
 * an anonymous caller may not set (anyone could send it): the refusal says how, and a service
 * token of the port rotates it. The snippet registers the repository interface by its original
 * name, `metadata`: it is kept as `repository`, and the use cases call the port as one.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { generateKey } from '@rds/secrets';
import { serviceContract } from '@rds/contracts';
import { ContractClient, createTokenSigner, HttpClient } from '@rds/kit';
import { bearer, TEST_SECRET, call } from '@rds/kit/testing';
import { Callees } from '@rds/ports';
import { startTokenStorage, type TokenStorage } from './harness.ts';
import { startProvider, type TestProvider } from '@rds/test-peers';
import { serveService, type ServedProcess } from './rds-process.ts';

const PYTHON = '/usr/bin/python3';
const SNIPPET = fileURLToPath(new URL('./fixtures/register_service.py', import.meta.url));
const asOperator = bearer({ issuer: 'operator', audience: 'token-storage' });

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `python3 register_service.py servicename authorize_url refresh_url client_id client_secret`. */
function runSnippet(tokenStorage: string | undefined, args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      PYTHON,
      [SNIPPET, ...args],
      {
        // Only what the snippet needs: no proxy settings from the machine in between.
        env: {
          PATH: process.env.PATH ?? '/usr/bin:/bin',
          PYTHONDONTWRITEBYTECODE: '1',
          ...(tokenStorage ? { CENTRAL_SERVICE_TOKEN_STORAGE: tokenStorage } : {}),
        },
        timeout: 20_000,
      },
      (error, stdout, stderr) =>
        resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

beforeAll(async () => {
  // Missing python3 or requests fails the tests instead of skipping them.
  const probe = await new Promise<Run>((resolve) =>
    execFile(
      PYTHON,
      ['-c', 'import requests; print(requests.__version__)'],
      (error, stdout, stderr) => resolve({ code: error ? 1 : 0, stdout, stderr }),
    ),
  );
  expect(probe, `${PYTHON} with requests (Debian: python3-requests) is needed`).toMatchObject({
    code: 0,
  });
});

let served: ServedProcess;
let closed: TokenStorage;
let provider: TestProvider;
const dataDir = mkdtempSync(join(tmpdir(), 'rds-seed-snippet-'));

beforeAll(async () => {
  // Started side by side: `rds serve` on its embedded default (PGlite in a temporary folder) with
  // anonymous registration on, and one in-process on PostgreSQL with it off (the default).
  const started = await Promise.allSettled([
    serveService('token-storage', {
      RDS_DATA_DIR: dataDir,
      RDS_SERVICE_SECRET: TEST_SECRET,
      RDS_ENCRYPTION_KEY: generateKey(),
      RDS_ALLOW_ANONYMOUS_REGISTRATION: 'true',
      RDS_VALIDATE_RESPONSES: 'true',
    }).then((process) => (served = process)),
    startTokenStorage('postgres').then((store) => (closed = store)),
    startProvider({ clientId: 'seed-client' }).then((p) => (provider = p)),
  ]);
  const failed = started.find((r) => r.status === 'rejected');
  if (failed) throw (failed as PromiseRejectedResult).reason;
}, 90_000);
afterAll(async () => {
  const code = await served?.stop();
  await closed?.dispose();
  await provider?.close();
  rmSync(dataDir, { recursive: true, force: true });
  expect(code).toBe(0);
}, 30_000);

describe('the seed’s register_service snippet against `rds serve token-storage`', () => {
  const name = `port-seed-${randomBytes(3).toString('hex')}`;

  const registration = (secret: string) => [
    name,
    provider.authorizeUrl,
    provider.tokenUrl,
    provider.clientId,
    secret,
  ];

  /** A user connects through token-storage: the code exchange authenticates with the stored secret. */
  async function connect(user: string) {
    const { code, redirectUri, codeVerifier } = await provider.authorize(user);
    return call(`${served.url}/connections/${name}/authorization-code`, {
      method: 'POST',
      headers: bearer({ issuer: 'port-service', audience: 'token-storage', user }),
      json: { code, redirect_uri: redirectUri, code_verifier: codeVerifier },
    });
  }

  test('registers, and registering again with the same data answers True and changes nothing', async () => {
    const first = await runSnippet(served.url, registration(provider.clientSecret));
    expect(first, first.stderr).toMatchObject({ code: 0, stdout: 'True\n' });
    expect((await connect('seed-user')).status).toBe(200);
    const registered = (
      await call(`${served.url}/service/${name}`, { headers: asOperator })
    ).json();

    const again = await runSnippet(served.url, registration(provider.clientSecret));
    expect(again, again.stderr).toMatchObject({ code: 0, stdout: 'True\n' });
    const record = await call(`${served.url}/service/${name}`, { headers: asOperator });
    expect(record.json()).toEqual(registered);
    expect(record.json()).toMatchObject({
      servicename: name,
      authType: 'oauth2',
      authorizeUrl: provider.authorizeUrl,
      clientId: 'seed-client',
      implements: ['fileStorage', 'repository'],
      revocable: false,
    });
    expect(record.text).not.toContain(provider.clientSecret);
    expect(record.text).not.toMatch(/secret/i);
  });

  test('its `metadata` is listed as `repository`, and the use cases may publish to the port as to any repository', async () => {
    const listed = await call(`${served.url}/service`, { headers: asOperator });
    expect(listed.json<{ services: unknown[] }>().services).toContainEqual(
      expect.objectContaining({ servicename: name, implements: ['fileStorage', 'repository'] }),
    );
    const asExporter = new HttpClient({
      name: 'token-storage',
      baseUrl: served.url,
      serviceToken: {
        sign: createTokenSigner(TEST_SECRET),
        issuer: 'exporter',
        audience: 'token-storage',
      },
    });
    try {
      const callees = new Callees(
        await ContractClient.of(asExporter, serviceContract('token-storage')),
      );
      await expect(callees.check(name, 'repository')).resolves.toBeUndefined();
      await expect(callees.check(name, 'fileStorage')).resolves.toBeUndefined();
    } finally {
      await asExporter.close();
    }
  });

  test('run again with a rotated secret, it raises with the 403 saying how to rotate; a service token of the port rotates it, at once', async () => {
    const firstSecret = provider.clientSecret;
    const registered = (await call(`${served.url}/service/${name}`, { headers: asOperator })).json<{
      updatedAt: string;
    }>();
    // The provider rotates the client's secret; without a token, anyone could have sent the new one.
    provider.setClientSecret(`rotated-${randomBytes(16).toString('hex')}`);
    const refused = await runSnippet(served.url, registration(provider.clientSecret));
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('Exception: Cannot find and register Token Storage, msg:');
    expect(refused.stderr).toMatch(/"status":403/);
    expect(refused.stderr).toContain(`rds token --service ${name} --audience token-storage`);
    expect(refused.stderr).not.toContain(firstSecret);

    // As the refusal says: the port registers with a service token of its own.
    const rotated = await call(`${served.url}/service`, {
      method: 'POST',
      headers: bearer({ issuer: name, audience: 'token-storage' }),
      json: {
        servicename: name,
        authorize_url: provider.authorizeUrl,
        refresh_url: provider.tokenUrl,
        client_id: provider.clientId,
        client_secret: provider.clientSecret,
        implements: ['fileStorage', 'metadata'],
      },
    });
    expect(rotated.json()).toEqual({ success: true });
    const exchanged = await connect('seed-user');
    expect(exchanged.status, exchanged.text).toBe(200);
    // The provider accepts only the new secret: the exchange authenticated with it.
    expect(provider.calls.at(-1)).toMatchObject({
      endpoint: 'token',
      grantType: 'authorization_code',
      status: 200,
      clientId: 'seed-client',
    });
    const record = await call(`${served.url}/service/${name}`, { headers: asOperator });
    expect(new Date(record.json<{ updatedAt: string }>().updatedAt).getTime()).toBeGreaterThan(
      new Date(registered.updatedAt).getTime(),
    );
    expect(record.text).not.toContain(firstSecret);
    expect(record.text).not.toContain(provider.clientSecret);
  });

  test('without CENTRAL_SERVICE_TOKEN_STORAGE it returns False and sends nothing', async () => {
    const run = await runSnippet(undefined, registration('unused'));
    expect(run, run.stderr).toMatchObject({ code: 0, stdout: 'False\n' });
  });
});

describe('the snippet where anonymous registration is off', () => {
  test('it raises with the 401 problem, and nothing is registered', async () => {
    const run = await runSnippet(closed.url, [
      'port-anonymous',
      'https://provider.example/authorize',
      'https://provider.example/token',
      'client',
      'secret',
    ]);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('Exception: Cannot find and register Token Storage, msg:');
    expect(run.stderr).toMatch(/"status":401/);
    const services = await call(`${closed.url}/service`, { headers: asOperator });
    expect(services.json()).toEqual({ services: [] });
  });
});
