/** What the s3 port's tests share: a real S3-compatible server, users connected, the port called. */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { S3Client } from '@aws-sdk/client-s3';
import { expect } from 'vitest';
import { bearer, call, startTestService, type RunningService } from '@rds/kit/testing';
import { definition } from '../src/index.ts';

const SERVE_S3RVER = fileURLToPath(new URL('./serve-s3rver.ts', import.meta.url));
export const BUCKET = 'rds-test';
/** s3rver knows one access key, whose secret is the same word. */
export const ACCESS_KEY = 'S3RVER';

export interface RunningS3 {
  url: string;
  /** Reaches the whole bucket, beside the port: for seeding and for checking what it wrote. */
  client: S3Client;
  /** Method and URL of every request s3rver received since `mark` (a length of `requests`). */
  requestsSince: (mark: number) => Promise<string[]>;
  /** Method and URL of every request s3rver received, oldest first. */
  requests: string[];
  close: () => Promise<void>;
}

/** s3rver on 127.0.0.1 on a free port, in a process of its own, its bucket in a temporary folder. */
export async function startS3rver(): Promise<RunningS3> {
  const directory = mkdtempSync(join(tmpdir(), 'rds-s3rver-'));
  const server = spawn(
    process.execPath,
    ['--openssl-legacy-provider', '--import', 'tsx', SERVE_S3RVER, directory, BUCKET],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const requests: string[] = [];
  const url = await new Promise<string>((resolve, reject) => {
    createInterface({ input: server.stdout! }).on('line', (line) => {
      const said = JSON.parse(line) as { url?: string; request?: string };
      if (said.request) requests.push(said.request);
      if (said.url) resolve(said.url);
    });
    server.once('exit', (code) => reject(new Error(`s3rver exited (${code}) before listening`)));
  });
  const client = new S3Client({
    endpoint: url,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: ACCESS_KEY, secretAccessKey: ACCESS_KEY },
    requestChecksumCalculation: 'WHEN_REQUIRED',
  });
  return {
    url,
    client,
    requests,
    requestsSince: async (mark) => {
      // s3rver's lines travel through a pipe, beside its answers: they may come a moment later.
      await sleep(50);
      return requests.slice(mark);
    },
    close: async () => {
      client.destroy();
      if (server.exitCode === null) {
        const exited = once(server, 'exit');
        server.kill('SIGTERM');
        await exited;
      }
      await rm(directory, { recursive: true, force: true });
    },
  };
}

/** An address where nothing listens. */
export async function closedPortUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return `http://127.0.0.1:${port}`;
}

export function startPort(
  tokenStorage: RunningService,
  env: Record<string, string>,
): Promise<RunningService> {
  return startTestService(definition, {
    RDS_TOKEN_STORAGE_URL: tokenStorage.url,
    RDS_S3_BUCKET: BUCKET,
    ...env,
  });
}

/** Stores the user's access key in token-storage, as port-service does. */
export async function connect(
  tokenStorage: RunningService,
  user: string,
  accessKeyId: string,
  secret: string,
): Promise<void> {
  const answer = await call(`${tokenStorage.url}/connections/s3`, {
    method: 'PUT',
    headers: bearer({ issuer: 'port-service', audience: 'token-storage', user }),
    json: { kind: 'credentials', userId: accessKeyId, password: secret },
  });
  expect(answer.status, answer.text).toBe(200);
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

export interface Listing {
  path: string;
  entries: Entry[];
  nextCursor?: string;
}

/** Calls the port as the exporter acting for `user`. */
export function client(port: () => RunningService, user: string) {
  const auth = () => bearer({ issuer: 'exporter', audience: 's3', user });
  const url = (route: string, path: string, query = '') =>
    `${port().url}${route}?path=${encodeURIComponent(path)}${query}`;
  return {
    get: (route: string, path: string, headers: Record<string, string> = {}) =>
      call(url(route, path), { headers: { ...auth(), ...headers } }),
    list: async (path: string, query = '') => {
      const answer = await call(url('/folder', path, query), { headers: auth() });
      expect(answer.status, answer.text).toBe(200);
      return answer.json<Listing>();
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
    /** Sends `sent` bytes of an upload promised to be `length` long, then breaks off. */
    breakOff: (path: string, length: number, sent: Buffer) =>
      breakOff(
        url('/file', path),
        { ...auth(), 'content-type': 'application/octet-stream' },
        length,
        sent,
      ),
  };
}

/** A download as bytes (the shared `call` reads text). */
function download(
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

function breakOff(
  url: string,
  headers: Record<string, string>,
  length: number,
  sent: Buffer,
): Promise<void> {
  return new Promise((resolve) => {
    const upload = request(url, {
      method: 'PUT',
      headers: { ...headers, 'content-length': String(length) },
    });
    upload.on('error', () => resolve());
    upload.write(sent, () => setTimeout(() => upload.destroy(), 200));
  });
}
