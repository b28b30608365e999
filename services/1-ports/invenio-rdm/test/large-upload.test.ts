/**
 * A 2 GiB file streamed through the port, run as its own process so that its resident memory can
 * be watched from outside while the upload goes on: it must stay flat, whatever the file's size.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { readdirSync, readFileSync } from 'node:fs';
import { request } from 'node:http';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { bearer, TEST_SECRET, type RunningService } from '@rds/kit/testing';
import { startTokenStorage } from '@rds/token-storage/testing';
import { startFakeInvenio, type FakeInvenio } from '@rds/test-peers';
import { asExporter, connect } from './helpers.ts';

const SIZE = 2 * 1024 ** 3;
const CHUNK = randomBytes(1024 * 1024);
const RSS_BOUND = 250 * 1024 * 1024;
const PACKAGE = fileURLToPath(new URL('..', import.meta.url));

let tokenStorage: RunningService;
let zenodo: FakeInvenio;
let child: ChildProcess;
let portUrl: string;

/** Starts test/serve-invenio.ts and resolves with its URL, read from its "listening" log line. */
async function servePort(env: Record<string, string>): Promise<string> {
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(
      ([name]) => !name.startsWith('RDS_') && !['DATABASE_URL', 'PORT', 'HOST'].includes(name),
    ),
  );
  child = spawn(process.execPath, ['--import', 'tsx', 'test/serve-invenio.ts'], {
    cwd: PACKAGE,
    env: { ...inherited, PORT: '0', LOG_LEVEL: 'info', RDS_SHUTDOWN_DELAY_MS: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /"url":"(http:\/\/[^"]+)"/.exec(output);
      if (match) resolve(match[1]!);
    });
    child.once('exit', (code) => reject(new Error(`the port exited (${code}):\n${output}`)));
  });
}

function residentBytes(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) * 1024;
}

/** The body: one random MiB over and over, never held whole; its md5 worked out on the way. */
function body(md5: ReturnType<typeof createHash>): Readable {
  return Readable.from(
    (function* () {
      for (let sent = 0; sent < SIZE; sent += CHUNK.length) {
        md5.update(CHUNK);
        yield CHUNK;
      }
    })(),
  );
}

beforeAll(async () => {
  tokenStorage = await startTokenStorage();
  zenodo = await startFakeInvenio({ rateLimit: { requests: 100_000, windowMs: 60_000 } });
  portUrl = await servePort({
    RDS_SERVICE_SECRET: TEST_SECRET,
    RDS_VALIDATE_RESPONSES: 'true',
    RDS_TOKEN_STORAGE_URL: tokenStorage.url,
    RDS_INVENIO_URL: zenodo.url,
  });
  await connect(tokenStorage, 'zenodo', 'ada', {
    kind: 'credentials',
    password: zenodo.addUser('ada'),
  });
});
afterAll(async () => {
  if (child && child.exitCode === null) {
    child.kill('SIGTERM');
    await once(child, 'exit');
  }
  await zenodo?.close();
  await tokenStorage?.close();
});

test('2 GiB streamed through the port with its memory flat', { timeout: 180_000 }, async () => {
  const ada = asExporter(portUrl, 'zenodo', 'ada');
  const id = await ada.createDraft();
  const pid = child.pid!;
  const before = residentBytes(pid);
  let peak = before;
  const sampler = setInterval(() => (peak = Math.max(peak, residentBytes(pid))), 50);
  const md5 = createHash('md5');
  const started = Date.now();
  const answer = await new Promise<{ status: number; text: string }>((resolve, reject) => {
    const upload = request(
      `${portUrl}/records/${id}/file?key=large.bin`,
      {
        method: 'PUT',
        headers: {
          ...bearer({ issuer: 'exporter', audience: 'zenodo', user: 'ada' }),
          'content-type': 'application/octet-stream',
          'content-length': String(SIZE),
        },
      },
      (response) => {
        let text = '';
        response.on('data', (chunk: Buffer) => (text += chunk.toString()));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, text }));
      },
    );
    upload.on('error', reject);
    body(md5).pipe(upload);
  });
  clearInterval(sampler);
  const seconds = (Date.now() - started) / 1000;
  const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(0);
  process.stdout.write(
    `2 GiB upload: ${seconds.toFixed(1)} s; port RSS ${mb(before)} MB before, ${mb(peak)} MB at peak\n`,
  );

  expect(answer.status, answer.text).toBe(201);
  expect(JSON.parse(answer.text)).toEqual({
    key: 'large.bin',
    status: 'completed',
    size: SIZE,
    checksum: `md5:${md5.digest('hex')}`,
  });
  expect(peak).toBeLessThan(RSS_BOUND);

  // The fake kept the content in a file of its own, and lets it go with the draft.
  expect(readdirSync(zenodo.contentFolder)).toHaveLength(1);
  expect((await ada.send('DELETE', `/records/${id}`)).status).toBe(204);
  expect(readdirSync(zenodo.contentFolder)).toHaveLength(0);
});
