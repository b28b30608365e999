/**
 * Real services for the exporter's tests, over HTTP on 127.0.0.1: token-storage,
 * research-manager, local-folder (the source, with a tree of files) and local-archive (the
 * target) behind a fault-injecting proxy.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { expect } from 'vitest';
import { bearer, call, startTestService, type RunningService } from '@rds/kit/testing';
import { startTokenStorage } from '@rds/token-storage/testing';
import { definition as localArchive } from '@rds/local-archive';
import { definition as localFolder, userFolder } from '@rds/local-folder';
import { definition as researchManager } from '@rds/research-manager';
import { definition as exporter } from '../src/index.ts';
import { startProxy, type Proxy } from './proxy.ts';

export const USER = 'ada';

/** A tree of `count` files in nested folders, some of them larger than one network read. */
export function makeTree(root: string, count: number): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  for (let i = 0; i < count; i++) {
    const key = `${['raw', 'processed', 'docs'][i % 3]}/${i % 2 ? 'part b/' : ''}file-${i}.bin`;
    const bytes = randomBytes(i % 10 === 0 ? 300_000 : 1000 + i * 37);
    mkdirSync(dirname(join(root, 'data', key)), { recursive: true });
    writeFileSync(join(root, 'data', key), bytes);
    files.set(key, bytes);
  }
  return files;
}

export const sha256 = (bytes: Buffer) =>
  `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

export interface Stack {
  tokenStorage: RunningService;
  researchManager: RunningService;
  source: RunningService;
  target: RunningService;
  proxy: Proxy;
  files: Map<string, Buffer>;
  /** The settings an exporter of this stack runs with. */
  exporterEnv: Record<string, string>;
  close: () => Promise<void>;
}

export async function startStack(fileCount: number): Promise<Stack> {
  const scratch = mkdtempSync(join(tmpdir(), 'rds-exporter-test-'));
  const files = makeTree(userFolder(join(scratch, 'folder'), 'default', USER), fileCount);
  const tokenStorage = await startTokenStorage();
  const registry = { RDS_TOKEN_STORAGE_URL: tokenStorage.url };
  const rm = await startTestService(researchManager, {
    RDS_DATA_DIR: join(scratch, 'research-manager'),
  });
  const source = await startTestService(localFolder, {
    ...registry,
    RDS_LOCAL_FOLDER_ROOT: join(scratch, 'folder'),
  });
  const target = await startTestService(localArchive, {
    ...registry,
    RDS_LOCAL_ARCHIVE_ROOT: join(scratch, 'archive'),
  });
  const proxy = await startProxy(target.url);
  return {
    tokenStorage,
    researchManager: rm,
    source,
    target,
    proxy,
    files,
    exporterEnv: {
      RDS_DATA_DIR: join(scratch, 'exporter'),
      RDS_RESEARCH_MANAGER_URL: rm.url,
      ...registry,
      RDS_LOCAL_FOLDER_URL: source.url,
      RDS_LOCAL_ARCHIVE_URL: proxy.url,
      RDS_EXPORTER_POLL_MS: '100',
      RDS_EXPORTER_LEASE_MS: '2000',
      RDS_EXPORTER_RETRY_DELAY_MS: '100',
      RDS_EXPORTER_PROGRESS_INTERVAL_MS: '100',
    },
    close: async () => {
      await proxy.close();
      for (const service of [target, source, rm, tokenStorage]) await service.close();
      rmSync(scratch, { recursive: true, force: true });
    },
  };
}

export function startExporter(stack: Stack, env: Record<string, string> = {}) {
  return startTestService(exporter, { ...stack.exporterEnv, ...env });
}

const asWeb = (audience: string) => bearer({ issuer: 'web', audience, user: USER });
/** The user's contexts are set up through the research service. */
const asResearch = () => bearer({ issuer: 'research', audience: 'research-manager', user: USER });

/** A context ready to export from the stack's folder to its archive, described by `metadata`. */
export async function readyContext(
  stack: Stack,
  name: string,
  metadata?: Record<string, unknown>,
): Promise<string> {
  const rm = (method: string, path: string, json: unknown, etag?: string) =>
    call(`${stack.researchManager.url}${path}`, {
      method,
      headers: { ...asResearch(), ...(etag ? { 'if-match': etag } : {}) },
      json,
    });
  const created = await rm('POST', '/contexts', { name, description: 'Made by a test.' });
  expect(created.status, created.text).toBe(201);
  const id = created.json<{ id: string }>().id;
  // The archive writes an RO-Crate, which needs a licence.
  const described = await rm(
    'PATCH',
    `/contexts/${id}`,
    { metadata: { license: { id: 'CC-BY-4.0' }, ...metadata } },
    created.headers.etag as string,
  );
  expect(described.status, described.text).toBeLessThan(300);
  const source = await rm(
    'POST',
    `/contexts/${id}/sources`,
    { port: 'local-folder', settings: { folder: '/data' } },
    described.headers.etag as string,
  );
  const target = await rm(
    'POST',
    `/contexts/${id}/targets`,
    { port: 'local-archive', settings: { mode: 'publish' } },
    source.headers.etag as string,
  );
  expect(target.status, target.text).toBe(201);
  const ready = await rm(
    'PUT',
    `/contexts/${id}/status`,
    { status: 'ready' },
    target.headers.etag as string,
  );
  expect(ready.status, ready.text).toBe(200);
  return id;
}

export async function getContext(stack: Stack, id: string) {
  const answer = await call(`${stack.researchManager.url}/contexts/${id}`, {
    headers: asResearch(),
  });
  return answer.json<{
    status: string;
    targets: { reported?: { recordId?: string; draftId?: string } }[];
  }>();
}

/** How many of a run's files are in each state, as research-manager keeps them. */
export async function runFileStates(stack: Stack, contextId: string, runId: string) {
  const states: Record<string, number> = {};
  let cursor: string | undefined;
  do {
    const answer = await call(
      `${stack.researchManager.url}/contexts/${contextId}/runs/${runId}/files?limit=100${cursor ? `&cursor=${cursor}` : ''}`,
      { headers: asResearch() },
    );
    expect(answer.status, answer.text).toBe(200);
    const page = answer.json<{ files: { state: string }[]; nextCursor?: string }>();
    for (const file of page.files) states[file.state] = (states[file.state] ?? 0) + 1;
    cursor = page.nextCursor;
  } while (cursor);
  return states;
}

export async function startExport(exporterUrl: string, contextId: string): Promise<string> {
  const answer = await call(`${exporterUrl}/exports`, {
    method: 'POST',
    headers: asWeb('exporter'),
    json: { contextId },
  });
  expect(answer.status, answer.text).toBe(202);
  return answer.json<{ runId: string }>().runId;
}

/** The user's cancel, as web hands it on: answered 202, or the problem. */
export function cancelExport(exporterUrl: string, runId: string) {
  return call(`${exporterUrl}/exports/${runId}/cancel`, {
    method: 'POST',
    headers: asWeb('exporter'),
  });
}

export interface Progress {
  state: string;
  reason?: string;
  percent: number;
  files: { total: number; done: number; failed: number };
  bytes: { total: number; done: number };
  currentFiles: { path: string }[];
  errors: { reason: string; path?: string }[];
  targets: { state: string; reason?: string; recordUrl?: string; doi?: string }[];
}

export async function progressOf(exporterUrl: string, contextId: string, runId: string) {
  const answer = await call(`${exporterUrl}/exports/${runId}?contextId=${contextId}`, {
    headers: asWeb('exporter'),
  });
  expect(answer.status, answer.text).toBe(200);
  return answer.json<Progress>();
}

/** Waits for a run to end, polling its progress. */
export async function ended(
  exporterUrl: string,
  contextId: string,
  runId: string,
  timeoutMs = 60_000,
) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const progress = await progressOf(exporterUrl, contextId, runId);
    if (progress.state !== 'running') return progress;
    if (Date.now() > until) throw new Error(`run still running: ${JSON.stringify(progress)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** The server-sent events of an export, until the stream ends. */
export function events(exporterUrl: string, contextId: string, runId: string) {
  return new Promise<{ status: number; type: string; events: { event: string; data: Progress }[] }>(
    (resolve, reject) => {
      const req = request(
        `${exporterUrl}/exports/${runId}/events?contextId=${contextId}`,
        { headers: asWeb('exporter') },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => (text += chunk));
          res.on('end', () =>
            resolve({
              status: res.statusCode ?? 0,
              type: String(res.headers['content-type']),
              events: (res.statusCode === 200 ? text : '')
                .split('\n\n')
                .filter(Boolean)
                .map((block) => {
                  const [eventLine, dataLine] = block.split('\n');
                  return {
                    event: eventLine!.slice('event: '.length),
                    data: JSON.parse(dataLine!.slice('data: '.length)) as Progress,
                  };
                }),
            }),
          );
        },
      );
      req.on('error', reject);
      req.end();
    },
  );
}

/** The files of a record at the target, by key. */
export async function targetRecord(stack: Stack, recordId: string) {
  const answer = await call(`${stack.target.url}/records/${recordId}`, {
    headers: bearer({ issuer: 'exporter', audience: 'local-archive', user: USER }),
  });
  expect(answer.status, answer.text).toBe(200);
  return answer.json<{ id: string; title?: string; state: string }>();
}

export async function recordFiles(stack: Stack, recordId: string) {
  const answer = await call(`${stack.target.url}/records/${recordId}/files`, {
    headers: bearer({ issuer: 'exporter', audience: 'local-archive', user: USER }),
  });
  expect(answer.status, answer.text).toBe(200);
  return new Map(
    answer
      .json<{ files: { key: string; checksum: string; size: number }[] }>()
      .files.map((f) => [f.key, f]),
  );
}
