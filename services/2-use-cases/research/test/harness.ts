/**
 * Real services for research's tests, over HTTP on 127.0.0.1: token-storage and research-manager
 * on PGlite, the local-folder port on a tree of awkwardly named files, the local-archive port (a
 * repository, no storage) and research itself.
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { bearer, call, startTestService, type Answer, type RunningService } from '@rds/kit/testing';
import { startTokenStorage } from '@rds/token-storage/testing';
import { definition as localArchive } from '@rds/local-archive';
import { definition as localFolder, userFolder } from '@rds/local-folder';
import { definition as researchManager } from '@rds/research-manager';
import { definition as research } from '../src/index.ts';

/** The files of the local folder, by path; names with spaces, unicode and URL characters. */
export const FILES: Record<string, string> = {
  '/top.txt': 'at the top',
  '/data/a.csv': 'x,y\n1,2\n',
  '/data/b.csv': 'x,y\n3,4\n5,6\n',
  '/data/c.csv': 'x\n',
  "/data/it's.txt": 'apostrophe',
  '/data/run 1/Ünïcödé ✓.txt': 'unicode',
  '/data/run 1/100% done#?.csv': 'percent, hash and question mark',
  '/data/raw/deep/sample.bin': 'bytes',
};

export interface Stack {
  tokenStorage: RunningService;
  researchManager: RunningService;
  localFolder: RunningService;
  localArchive: RunningService;
  research: RunningService;
  close: () => Promise<void>;
}

export async function startStack(): Promise<Stack> {
  const scratch = mkdtempSync(join(tmpdir(), 'rds-research-test-'));
  // ada's folder in local-folder, where the files are.
  const root = userFolder(join(scratch, 'folder'), 'default', 'ada');
  for (const [path, content] of Object.entries(FILES)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  mkdirSync(join(scratch, 'elsewhere'));
  writeFileSync(join(scratch, 'elsewhere', 'secret.txt'), 'not in the storage');
  symlinkSync(join(scratch, 'elsewhere'), join(root, 'way-out'));

  const tokenStorage = await startTokenStorage();
  const rm = await startTestService(researchManager, {
    RDS_DATA_DIR: join(scratch, 'research-manager'),
  });
  const folder = await startTestService(localFolder, {
    RDS_TOKEN_STORAGE_URL: tokenStorage.url,
    RDS_LOCAL_FOLDER_ROOT: join(scratch, 'folder'),
  });
  const archive = await startTestService(localArchive, {
    RDS_TOKEN_STORAGE_URL: tokenStorage.url,
    RDS_LOCAL_ARCHIVE_ROOT: join(scratch, 'archive'),
  });
  const service = await startTestService(research, {
    RDS_RESEARCH_MANAGER_URL: rm.url,
    RDS_TOKEN_STORAGE_URL: tokenStorage.url,
    RDS_LOCAL_FOLDER_URL: folder.url,
    RDS_LOCAL_ARCHIVE_URL: archive.url,
  });
  return {
    tokenStorage,
    researchManager: rm,
    localFolder: folder,
    localArchive: archive,
    research: service,
    close: async () => {
      for (const running of [service, archive, folder, rm, tokenStorage]) await running.close();
      rmSync(scratch, { recursive: true, force: true });
    },
  };
}

/** Who calls research: web, for a user of a tenant. */
export interface Caller {
  service?: string;
  user?: string;
  tenant?: string;
}

/** A client of research (or of another service with `audience`), calling as `caller`. */
export function clientOf(url: string, caller: Caller, audience = 'research') {
  const ask = (method: string, path: string, json?: unknown, etag?: string) =>
    call(`${url}${path}`, {
      method,
      headers: {
        ...bearer({
          issuer: caller.service ?? 'web',
          audience,
          user: caller.user,
          tenant: caller.tenant,
        }),
        ...(etag === undefined ? {} : { 'if-match': etag }),
      },
      ...(json === undefined ? {} : { json }),
    });
  return {
    get: (path: string) => ask('GET', path),
    post: (path: string, json?: unknown, etag?: string) => ask('POST', path, json, etag),
    patch: (path: string, json: unknown, etag?: string) => ask('PATCH', path, json, etag),
    put: (path: string, json: unknown, etag?: string) => ask('PUT', path, json, etag),
    delete: (path: string, etag?: string) => ask('DELETE', path, undefined, etag),
  };
}
export type Client = ReturnType<typeof clientOf>;

export const etagOf = (answer: Answer) => answer.headers.etag as string;

export interface Problem {
  type: string;
  title: string;
  detail: string;
  messageKey: string;
  args?: Record<string, unknown>;
  errors?: { detail: string; pointer: string }[];
}

/** Expects `answer` to be a problem of `status` with `messageKey`; returns its body. */
export function expectProblem(answer: Answer, status: number, messageKey: string): Problem {
  expect(answer.status, answer.text).toBe(status);
  expect(answer.headers['content-type']).toMatch(/^application\/problem\+json/);
  const problem = answer.json<Problem>();
  expect(problem.messageKey, answer.text).toBe(messageKey);
  return problem;
}
