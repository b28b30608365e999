/**
 * Starts research-manager for tests on either backend: the machine's PostgreSQL (a fresh schema
 * per run; unreachable PostgreSQL fails the tests) or PGlite in a temporary folder. Also the
 * small vocabulary the tests speak: calls as a service for a user, and contexts made ready.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { expect } from 'vitest';
import {
  bearer,
  startTestService,
  type RunningService,
  call,
  type Answer,
  type Ask,
} from '@rds/kit/testing';
import { definition } from '../src/index.ts';

export type Backend = 'postgres' | 'pglite';
export const BACKENDS: Backend[] = ['postgres', 'pglite'];
export const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface ResearchManager extends RunningService {
  backend: Backend;
  /** Stops the service and removes its data. */
  dispose: () => Promise<void>;
}

export async function startResearchManager(backend: Backend): Promise<ResearchManager> {
  const schema = `rm_test_${randomBytes(6).toString('hex')}`;
  const dataDir = mkdtempSync(join(tmpdir(), 'rds-research-manager-'));
  const running = await startTestService(definition, {
    RDS_DATA_DIR: dataDir,
    ...(backend === 'postgres' ? { DATABASE_URL, RDS_DATABASE_SCHEMA: schema } : {}),
  });
  return {
    ...running,
    backend,
    dispose: async () => {
      await running.close();
      if (backend === 'postgres') await dropSchema(schema);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function dropSchema(schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: DATABASE_URL });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  } finally {
    await client.end();
  }
}

/** Who calls: a service acting for a user (or for nobody) of a tenant. */
export interface Caller {
  service: string;
  user?: string;
  tenant?: string;
}

/** A client of one running research-manager, calling as `caller`. */
export function clientOf(manager: { url: string }, caller: Caller) {
  const headers = (etag?: string) => ({
    ...bearer({
      issuer: caller.service,
      audience: 'research-manager',
      user: caller.user,
      tenant: caller.tenant,
    }),
    ...(etag === undefined ? {} : { 'if-match': etag }),
  });
  const ask = (method: string, path: string, options: { json?: unknown; etag?: string } = {}) =>
    call(`${manager.url}${path}`, {
      method,
      headers: headers(options.etag),
      ...(options.json === undefined ? {} : { json: options.json }),
    } satisfies Ask);
  return {
    get: (path: string) => ask('GET', path),
    post: (path: string, json: unknown = {}, etag?: string) =>
      ask('POST', path, { json, ...(etag === undefined ? {} : { etag }) }),
    patch: (path: string, json: unknown, etag?: string) =>
      ask('PATCH', path, { json, ...(etag === undefined ? {} : { etag }) }),
    put: (path: string, json: unknown, etag?: string) =>
      ask('PUT', path, { json, ...(etag === undefined ? {} : { etag }) }),
    delete: (path: string, etag?: string) =>
      ask('DELETE', path, etag === undefined ? {} : { etag }),
  };
}
export type Client = ReturnType<typeof clientOf>;

export const etagOf = (answer: Answer) => answer.headers.etag as string;

export interface Problem {
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
  expect(problem.messageKey).toBe(messageKey);
  return problem;
}

/** Where in the request a problem's errors point. */
export const pointersOf = (problem: Problem) => (problem.errors ?? []).map((e) => e.pointer);

export interface Made {
  id: string;
  etag: string;
  sourceId: string;
  targetIds: string[];
}

/** A context as research makes it, with a source and `targets` targets, moved to ready. */
export async function readyContext(research: Client, name: string, targets = 1): Promise<Made> {
  const created = await research.post('/contexts', { name });
  expect(created.status, created.text).toBe(201);
  const id = created.json<{ id: string }>().id;
  let etag = etagOf(created);
  const source = await research.post(
    `/contexts/${id}/sources`,
    { port: 'owncloud', settings: { folder: '/data' } },
    etag,
  );
  expect(source.status, source.text).toBe(201);
  etag = etagOf(source);
  const targetIds: string[] = [];
  for (let i = 0; i < targets; i++) {
    const target = await research.post(
      `/contexts/${id}/targets`,
      { port: `zenodo-${i}`, settings: { mode: 'publish', folders: 'encode-paths' } },
      etag,
    );
    expect(target.status, target.text).toBe(201);
    etag = etagOf(target);
    targetIds.push(target.json<{ id: string }>().id);
  }
  const ready = await research.put(`/contexts/${id}/status`, { status: 'ready' }, etag);
  expect(ready.status, ready.text).toBe(200);
  return { id, etag: etagOf(ready), sourceId: source.json<{ id: string }>().id, targetIds };
}
