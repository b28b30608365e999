/**
 * A researcher's stack for the exporter's tests against Zenodo: their files on a WebDAV server
 * (Debian's Apache mod_dav, or the Nextcloud fake, which keeps checksums), the InvenioRDM fake behind the invenio-rdm port (registered as
 * `zenodo`), token-storage, and research-manager and the exporter on the machine's PostgreSQL
 * (a schema of their own each, dropped at the end).
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import pg from 'pg';
import { expect } from 'vitest';
import type { AnyServiceDefinition } from '@rds/kit/host';
import { bearer, call, startTestService, type RunningService } from '@rds/kit/testing';
import { definitionFromEnvironment as invenioRdm } from '@rds/invenio-rdm';
import { startApache, startFakeInvenio, type ApacheDav, type FakeInvenio } from '@rds/test-peers';
import { startTokenStorage } from '@rds/token-storage/testing';
import { definition as researchManager } from '@rds/research-manager';
import { definition as webdav } from '@rds/webdav';
import { NextcloudFake } from '../../../1-ports/webdav/test/nextcloud-fake.ts';
import { definition as exporter } from '../src/index.ts';
import { USER } from './harness.ts';

const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const SERVER_USER = 'ada.lovelace';
const PASSWORD = 'app-password';

export const METADATA = {
  title: 'Soil moisture, Bavaria 2023',
  creators: [{ name: 'Lovelace, Ada', orcid: '0000-0002-1825-0097' }],
  description: 'Hourly soil moisture at twelve sites.',
  publicationDate: '2024-05-01',
  resourceType: 'dataset',
  license: { id: 'CC-BY-4.0' },
  publisher: 'Zenodo',
};

export const md5 = (bytes: Buffer) => `md5:${createHash('md5').update(bytes).digest('hex')}`;

export interface ZenodoStack {
  zenodo: FakeInvenio;
  exporter: RunningService;
  rm: RunningService;
  /** The port's URL, to read records as the exporter does. */
  port: RunningService;
  tokenStorage: RunningService;
  /** The WebDAV server holding the user's files. */
  storage: Storage;
  /** The paths the exporter called research-manager with, in order. */
  researchManagerCalls: string[];
  /** Writes (or, with `null`, deletes) files of the user's WebDAV storage, under `folder`. */
  writeFiles: (files: Record<string, Buffer | null>, folder?: string) => Promise<void>;
  close: () => Promise<void>;
}

/** A WebDAV server with the user's files. */
interface Storage {
  url: string;
  login: string;
  write: (files: Record<string, Buffer | null>, folder: string) => Promise<void>;
  /** Downloads of files so far (Nextcloud only). */
  downloads: () => string[];
  close: () => Promise<void>;
}

async function apacheStorage(): Promise<Storage> {
  const apache: ApacheDav = await startApache(SERVER_USER, PASSWORD);
  return {
    url: apache.url,
    login: SERVER_USER,
    write: async (files, folder) => {
      for (const [key, bytes] of Object.entries(files)) {
        const path = join(apache.files, folder, key);
        if (bytes === null) unlinkSync(path);
        else {
          mkdirSync(dirname(path), { recursive: true });
          writeFileSync(path, bytes);
        }
      }
      apache.own();
    },
    downloads: () => [],
    close: () => apache.stop(),
  };
}

/** Nextcloud (the webdav port's fake): it lists each file's SHA-1 and MD5 (`oc:checksums`). */
async function nextcloudStorage(): Promise<Storage> {
  const user = { login: SERVER_USER, password: PASSWORD, id: 'u-4711' };
  const fake = await new NextcloudFake([user]).start();
  const dav = `${fake.url}/remote.php/dav/files/${user.id}`;
  const authorization = `Basic ${Buffer.from(`${user.login}:${user.password}`).toString('base64')}`;
  const send = async (method: string, path: string, body?: Buffer) => {
    const answer = await fetch(`${dav}${path}`, {
      method,
      headers: { authorization },
      ...(body ? { body } : {}),
    });
    await answer.arrayBuffer();
    return answer.status;
  };
  return {
    url: fake.url,
    login: user.login,
    write: async (files, folder) => {
      await send('MKCOL', `/${folder}`);
      for (const [key, bytes] of Object.entries(files)) {
        const status = await send(
          bytes === null ? 'DELETE' : 'PUT',
          `/${folder}/${key}`,
          bytes ?? undefined,
        );
        expect(status, key).toBeLessThan(300);
      }
    },
    downloads: () =>
      fake.requests
        .filter((r) => r.method === 'GET' && r.path.startsWith('/remote.php/dav/files/'))
        .map((r) => r.path),
    close: () => fake.close(),
  };
}

/** `exporterEnv` adds to or overrides the exporter's settings. */
export async function startZenodoStack(
  exporterEnv: Record<string, string> = {},
  { nextcloud = false }: { nextcloud?: boolean } = {},
): Promise<ZenodoStack> {
  const scratch = mkdtempSync(join(tmpdir(), 'rds-zenodo-stack-'));
  const schemas = [`rm_${randomBytes(5).toString('hex')}`, `ex_${randomBytes(5).toString('hex')}`];
  const running: RunningService[] = [];
  const start = async (definition: AnyServiceDefinition, settings: Record<string, string>) => {
    const service = await startTestService(definition, settings);
    running.unshift(service);
    return service;
  };
  const storage = nextcloud ? await nextcloudStorage() : await apacheStorage();
  const zenodo = await startFakeInvenio();
  const tokenStorage = await startTokenStorage();
  running.push(tokenStorage);
  const registry = { RDS_TOKEN_STORAGE_URL: tokenStorage.url };
  const rm = await start(researchManager, {
    RDS_DATA_DIR: join(scratch, 'research-manager'),
    DATABASE_URL,
    RDS_DATABASE_SCHEMA: schemas[0]!,
  });
  const source = await start(webdav, { ...registry, RDS_WEBDAV_SERVER_URL: storage.url });
  const port = await start(invenioRdm(), { ...registry, RDS_INVENIO_URL: zenodo.url });
  for (const [servicename, grant] of [
    ['webdav', { kind: 'credentials', userId: storage.login, password: PASSWORD }],
    ['zenodo', { kind: 'credentials', userId: USER, password: zenodo.addUser(USER) }],
  ] as const) {
    const answer = await call(`${tokenStorage.url}/connections/${servicename}`, {
      method: 'PUT',
      headers: bearer({ issuer: 'port-service', audience: 'token-storage', user: USER }),
      json: grant,
    });
    expect(answer.status, answer.text).toBe(200);
  }
  const recorder = await recordingProxy(rm.url);
  const exporterService = await start(exporter, {
    RDS_DATA_DIR: join(scratch, 'exporter'),
    DATABASE_URL,
    RDS_DATABASE_SCHEMA: schemas[1]!,
    RDS_RESEARCH_MANAGER_URL: recorder.url,
    ...registry,
    RDS_WEBDAV_URL: source.url,
    RDS_ZENODO_URL: port.url,
    RDS_EXPORTER_POLL_MS: '100',
    RDS_EXPORTER_PROGRESS_INTERVAL_MS: '200',
    ...exporterEnv,
  });
  return {
    zenodo,
    exporter: exporterService,
    rm,
    port,
    tokenStorage,
    storage,
    researchManagerCalls: recorder.paths,
    writeFiles: (files, folder = 'data') => storage.write(files, folder),
    close: async () => {
      for (const service of running) await service.close();
      await recorder.close();
      await zenodo.close();
      await storage.close();
      const client = new pg.Client({ connectionString: DATABASE_URL });
      await client.connect();
      for (const schema of schemas) await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await client.end();
      rmSync(scratch, { recursive: true, force: true });
    },
  };
}

/** Passes every call on to `url`, noting its path. */
async function recordingProxy(url: string) {
  const to = new URL(url);
  const paths: string[] = [];
  const server = createServer((req, res) => {
    paths.push(req.url ?? '');
    const upstream = request(
      { host: to.hostname, port: to.port, method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    paths,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

interface TargetSettings {
  mode: 'draft' | 'publish' | 'new-version';
  recordId?: string;
  unfitFiles?: 'refuse' | 'skip';
  newRecord?: boolean;
}

/** A context as the web app makes one: described, a folder of WebDAV (`/data`) to Zenodo. */
export async function zenodoContext(
  stack: ZenodoStack,
  {
    settings = { mode: 'publish' },
    folder = '/data',
    sourcePort = 'webdav',
    targetPort = 'zenodo',
  }: { settings?: TargetSettings; folder?: string; sourcePort?: string; targetPort?: string } = {},
): Promise<{ id: string; targetId: string }> {
  let etag = '';
  const send = async (method: string, path: string, json: unknown) => {
    const answer = await call(`${stack.rm.url}${path}`, {
      method,
      headers: {
        ...bearer({ issuer: 'research', audience: 'research-manager', user: USER }),
        ...(etag ? { 'if-match': etag } : {}),
      },
      json,
    });
    expect(answer.status, answer.text).toBeLessThan(300);
    etag = answer.headers.etag as string;
    return answer.json<{ id: string }>();
  };
  const { id } = await send('POST', '/contexts', { name: 'Soil moisture' });
  await send('PATCH', `/contexts/${id}`, { metadata: METADATA });
  await send('POST', `/contexts/${id}/sources`, { port: sourcePort, settings: { folder } });
  const target = await send('POST', `/contexts/${id}/targets`, { port: targetPort, settings });
  await send('PUT', `/contexts/${id}/status`, { status: 'ready' });
  return { id, targetId: target.id };
}

export interface Reported {
  recordId?: string;
  draftId?: string;
  doi?: string;
  recordUrl?: string;
  version?: string;
  draftUrl?: string;
  draftComplete?: boolean;
}

/** Replaces the settings of a context's target, as the web app does. */
export async function setTarget(
  stack: ZenodoStack,
  contextId: string,
  targetId: string,
  settings: TargetSettings,
) {
  const headers = bearer({ issuer: 'research', audience: 'research-manager', user: USER });
  const read = await call(`${stack.rm.url}/contexts/${contextId}`, { headers });
  const answer = await call(`${stack.rm.url}/contexts/${contextId}/targets/${targetId}`, {
    method: 'PATCH',
    headers: { ...headers, 'if-match': read.headers.etag as string },
    json: { settings },
  });
  expect(answer.status, answer.text).toBe(200);
}

export async function contextOf(stack: ZenodoStack, id: string) {
  const answer = await call(`${stack.rm.url}/contexts/${id}`, {
    headers: bearer({ issuer: 'research', audience: 'research-manager', user: USER }),
  });
  expect(answer.status, answer.text).toBe(200);
  return answer.json<{
    status: string;
    targets: { id: string; settings: Record<string, unknown>; reported?: Reported }[];
  }>();
}

/** A record's files at the target, by key, as the port lists them. */
export async function zenodoFiles(stack: ZenodoStack, recordId: string) {
  const answer = await call(`${stack.port.url}/records/${recordId}/files`, {
    headers: bearer({ issuer: 'exporter', audience: 'zenodo', user: USER }),
  });
  expect(answer.status, answer.text).toBe(200);
  const listed = answer.json<{ files: { key: string; size: number; checksum?: string }[] }>();
  return Object.fromEntries(listed.files.map((f) => [f.key, f.checksum]));
}

/** A record at the target, as the port reads it. */
export async function zenodoRecord(stack: ZenodoStack, recordId: string) {
  const answer = await call(`${stack.port.url}/records/${recordId}`, {
    headers: bearer({ issuer: 'exporter', audience: 'zenodo', user: USER }),
  });
  expect(answer.status, answer.text).toBe(200);
  return answer.json<{ id: string; state: string; doi?: string; version?: string }>();
}
