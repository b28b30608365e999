/**
 * The export a researcher runs: from their files on a WebDAV server (Debian's Apache mod_dav)
 * to Zenodo (the InvenioRDM fake, with Zenodo's limits: no folders, at most 100 files, so the
 * folders go as zips) and to the local archive, 500 files in nested folders and one 2 GiB file.
 */
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import yauzl from 'yauzl';
import type { AnyServiceDefinition } from '@rds/kit/host';
import { bearer, call, startTestService, type RunningService } from '@rds/kit/testing';
import { definitionFromEnvironment as invenioRdm } from '@rds/invenio-rdm';
import { startApache, startFakeInvenio, type ApacheDav, type FakeInvenio } from '@rds/test-peers';
import { definition as localArchive } from '@rds/local-archive';
import { startTokenStorage } from '@rds/token-storage/testing';
import { definition as researchManager } from '@rds/research-manager';
import { definition as webdav } from '@rds/webdav';
import { definition as exporter } from '../src/index.ts';
import { ended, makeTree, sha256, startExport, USER } from './harness.ts';

const SERVER_USER = 'ada.lovelace';
const PASSWORD = 'app-password';

let scratch: string;
let apache: ApacheDav;
let zenodoFake: FakeInvenio;
let files: Map<string, Buffer>;
const big = { key: 'big.bin', md5: '', sha256: '' };
const services: RunningService[] = [];
let rm: RunningService;
let archive: RunningService;
let zenodo: RunningService;
let exporterService: RunningService;

/** 2 GiB that differ from one MiB to the next, so that a dropped or repeated piece shows. */
function writeBigFile(path: string): void {
  const block = randomBytes(1024 ** 2);
  const md5 = createHash('md5');
  const sha = createHash('sha256');
  const file = openSync(path, 'w');
  for (let i = 0; i < 2048; i++) {
    block.writeUInt32BE(i, 0);
    writeSync(file, block);
    md5.update(block);
    sha.update(block);
  }
  closeSync(file);
  big.md5 = `md5:${md5.digest('hex')}`;
  big.sha256 = `sha256:${sha.digest('hex')}`;
}

async function start(definition: AnyServiceDefinition, settings: Record<string, string>) {
  const service = await startTestService(definition, settings);
  services.unshift(service);
  return service;
}

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'rds-end-to-end-'));
  apache = await startApache(SERVER_USER, PASSWORD);
  files = makeTree(apache.files, 500);
  writeBigFile(join(apache.files, 'data', big.key));
  apache.own();
  zenodoFake = await startFakeInvenio();
  const tokenStorage = await startTokenStorage();
  services.push(tokenStorage);
  const registry = { RDS_TOKEN_STORAGE_URL: tokenStorage.url };
  rm = await start(researchManager, { RDS_DATA_DIR: join(scratch, 'research-manager') });
  const source = await start(webdav, { ...registry, RDS_WEBDAV_SERVER_URL: apache.url });
  zenodo = await start(invenioRdm(), { ...registry, RDS_INVENIO_URL: zenodoFake.url });
  archive = await start(localArchive, {
    ...registry,
    RDS_LOCAL_ARCHIVE_ROOT: join(scratch, 'archive'),
  });
  for (const [servicename, grant] of [
    ['webdav', { kind: 'credentials', userId: SERVER_USER, password: PASSWORD }],
    ['zenodo', { kind: 'credentials', userId: USER, password: zenodoFake.addUser(USER) }],
  ] as const) {
    const answer = await call(`${tokenStorage.url}/connections/${servicename}`, {
      method: 'PUT',
      headers: bearer({ issuer: 'port-service', audience: 'token-storage', user: USER }),
      json: grant,
    });
    expect(answer.status, answer.text).toBe(200);
  }
  exporterService = await start(exporter, {
    RDS_DATA_DIR: join(scratch, 'exporter'),
    RDS_RESEARCH_MANAGER_URL: rm.url,
    ...registry,
    RDS_WEBDAV_URL: source.url,
    RDS_ZENODO_URL: zenodo.url,
    RDS_LOCAL_ARCHIVE_URL: archive.url,
    RDS_EXPORTER_POLL_MS: '100',
    RDS_EXPORTER_PROGRESS_INTERVAL_MS: '200',
  });
}, 120_000);

afterAll(async () => {
  for (const service of services) await service.close();
  await zenodoFake?.close();
  await apache?.stop();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

const METADATA = {
  title: 'Soil moisture, Bavaria 2023',
  creators: [{ name: 'Lovelace, Ada', orcid: '0000-0002-1825-0097' }],
  description: 'Hourly soil moisture at twelve sites.',
  publicationDate: '2024-05-01',
  resourceType: 'dataset',
  license: { id: 'CC-BY-4.0' },
};

/** A context as the web app makes one: described, WebDAV's /data to Zenodo and the archive. */
async function readyContext(): Promise<string> {
  let etag = '';
  const send = async (method: string, path: string, json: unknown) => {
    const answer = await call(`${rm.url}${path}`, {
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
  await send('POST', `/contexts/${id}/sources`, { port: 'webdav', settings: { folder: '/data' } });
  await send('POST', `/contexts/${id}/targets`, {
    port: 'zenodo',
    settings: { mode: 'publish', folders: 'zip-folders' },
  });
  await send('POST', `/contexts/${id}/targets`, {
    port: 'local-archive',
    settings: { mode: 'publish' },
  });
  await send('PUT', `/contexts/${id}/status`, { status: 'ready' });
  return id;
}

interface Reported {
  port: string;
  reported?: { recordId?: string; doi?: string; recordUrl?: string };
}

async function recordFiles(port: RunningService, servicename: string, recordId: string) {
  const answer = await call(`${port.url}/records/${recordId}/files`, {
    headers: bearer({ issuer: 'exporter', audience: servicename, user: USER }),
  });
  expect(answer.status, answer.text).toBe(200);
  const listed = answer.json<{ files: { key: string; size: number; checksum?: string }[] }>();
  return new Map(listed.files.map((f) => [f.key, f]));
}

/** The sha256 of every member of a zip Zenodo holds, read back from its public content route. */
async function zipMembers(recordId: string, key: string): Promise<Map<string, string>> {
  const answer = await fetch(`${zenodoFake.url}/api/records/${recordId}/files/${key}/content`);
  expect(answer.status).toBe(200);
  const zip = Buffer.from(await answer.arrayBuffer());
  return new Promise((resolve, reject) => {
    const found = new Map<string, string>();
    yauzl.fromBuffer(zip, { lazyEntries: true }, (error, entries) => {
      if (error) return reject(error);
      entries.on('entry', (entry: yauzl.Entry) =>
        entries.openReadStream(entry, (openError, stream) => {
          if (openError) return reject(openError);
          const hash = createHash('sha256');
          stream.on('data', (chunk: Buffer) => hash.update(chunk));
          stream.on('end', () => {
            found.set(entry.fileName, `sha256:${hash.digest('hex')}`);
            entries.readEntry();
          });
        }),
      );
      entries.on('end', () => resolve(found));
      entries.readEntry();
    });
  });
}

test(
  '500 files and 2 GiB from WebDAV to Zenodo (folders zipped) and the archive; checksums match; the DOI lands on the context',
  async () => {
    const contextId = await readyContext();
    const runId = await startExport(exporterService.url, contextId);
    const progress = await ended(exporterService.url, contextId, runId, 15 * 60_000);
    // Zenodo: raw.zip, processed.zip, docs.zip and big.bin; the archive: 501 files.
    expect(progress).toMatchObject({
      state: 'done',
      percent: 100,
      files: { total: 4 + 501, done: 4 + 501, failed: 0 },
    });

    const context = (
      await call(`${rm.url}/contexts/${contextId}`, {
        headers: bearer({ issuer: 'research', audience: 'research-manager', user: USER }),
      })
    ).json<{ status: string; targets: Reported[] }>();
    expect(context.status).toBe('exported');
    const atZenodo = context.targets.find((t) => t.port === 'zenodo')!.reported!;
    expect(atZenodo.doi).toMatch(/^10\.5281\/zenodo\.\d+$/);
    expect(atZenodo.recordUrl).toMatch(/^https?:\/\//);

    const archived = await recordFiles(
      archive,
      'local-archive',
      context.targets.find((t) => t.port === 'local-archive')!.reported!.recordId!,
    );
    expect(archived.size).toBe(501);
    expect(archived.get(big.key)?.checksum).toBe(big.sha256);
    for (const [key, bytes] of files) expect(archived.get(key)?.checksum, key).toBe(sha256(bytes));

    const zenodoFiles = await recordFiles(zenodo, 'zenodo', atZenodo.recordId!);
    expect([...zenodoFiles.keys()].sort()).toEqual(
      ['big.bin', 'docs.zip', 'processed.zip', 'raw.zip'].sort(),
    );
    expect(zenodoFiles.get(big.key)?.checksum).toBe(big.md5);
    const zipped = new Map<string, string>();
    for (const key of ['raw.zip', 'processed.zip', 'docs.zip']) {
      for (const [name, digest] of await zipMembers(atZenodo.recordId!, key))
        zipped.set(name, digest);
    }
    expect(zipped.size).toBe(500);
    for (const [key, bytes] of files) expect(zipped.get(key), key).toBe(sha256(bytes));
  },
  20 * 60_000,
);
