/** What the webdav port's tests share: starting the port, connecting users, calling it. */
import { request } from 'node:http';
import { expect } from 'vitest';
import { bearer, startTestService, type RunningService, call, type Answer } from '@rds/kit/testing';
import { definition } from '../src/index.ts';

export { call, type Answer };

/** Apache, token-storage (PGlite) and the port take their time on a busy machine. */
export const STARTUP_TIMEOUT_MS = 120_000;

export function startPort(
  tokenStorage: RunningService,
  env: Record<string, string>,
): Promise<RunningService> {
  return startTestService(definition, {
    RDS_TOKEN_STORAGE_URL: tokenStorage.url,
    ...env,
  });
}

/** Stores the user's connection to webdav in token-storage, as port-service does. */
export async function connect(
  tokenStorage: RunningService,
  user: string,
  grant: Record<string, unknown>,
): Promise<void> {
  const answer = await call(`${tokenStorage.url}/connections/webdav`, {
    method: 'PUT',
    headers: bearer({ issuer: 'port-service', audience: 'token-storage', user }),
    json: grant,
  });
  expect(answer.status, answer.text).toBe(200);
}

/** Calls the port as the exporter acting for `user`. */
export function client(port: () => RunningService, user: string) {
  const auth = () => bearer({ issuer: 'exporter', audience: 'webdav', user });
  const url = (route: string, path: string) =>
    `${port().url}${route}?path=${encodeURIComponent(path)}`;
  return {
    get: (route: string, path: string, headers: Record<string, string> = {}) =>
      call(url(route, path), { headers: { ...auth(), ...headers } }),
    list: async (path: string, query = '') => {
      const answer = await call(`${url('/folder', path)}${query}`, { headers: auth() });
      expect(answer.status, answer.text).toBe(200);
      return answer.json<{ entries: Entry[]; nextCursor?: string }>();
    },
    put: (path: string, body: Buffer | string) =>
      call(url('/file', path), {
        method: 'PUT',
        headers: { ...auth(), 'content-type': 'application/octet-stream' },
        body,
      }),
    mkdir: (path: string) => call(url('/folder', path), { method: 'POST', headers: auth() }),
    remove: (path: string) => call(url('/entry', path), { method: 'DELETE', headers: auth() }),
    bytes: (path: string, headers: Record<string, string> = {}) =>
      download(url('/file', path), { ...auth(), ...headers }),
  };
}

export interface Entry {
  name: string;
  path: string;
  type: 'file' | 'folder';
  size?: number;
  modified?: string;
  checksum?: string;
  etag?: string;
}

/** A download as bytes (the shared `call` reads text). */
export function download(
  url: string,
  headers: Record<string, string>,
): Promise<{ status: number; headers: Record<string, unknown>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    request(url, { headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () =>
        resolve({
          status: response.statusCode ?? 0,
          headers: response.headers,
          body: Buffer.concat(chunks),
        }),
      );
      response.on('error', reject);
    })
      .on('error', reject)
      .end();
  });
}
