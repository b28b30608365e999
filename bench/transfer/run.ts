/**
 * Transfer: how fast the exporter moves files compared with plain tools between the same servers
 * on 127.0.0.1. One big file from Apache WebDAV to the Zenodo fake, against `curl` GET piped into
 * `curl` PUT; many small files from the same WebDAV to a local folder (the local archive),
 * against `rclone copy`. The last line printed is `ratio: <exporter time / curl time>` for the
 * big file. See bench/README.md.
 */
import { execFileSync, spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import {
  closeSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTokenSigner } from '@rds/kit';
import { STREAMING_NODE_FLAGS, tuneForStreaming } from '@rds/kit/host';
import { startApache, startFakeInvenio, type ApacheDav, type FakeInvenio } from '@rds/test-peers';
import { generateKey } from '@rds/secrets';
import { serveService, urlsOf, type ServiceProcess } from './services.ts';

function intFromEnv(name: string, fallback: number, min: number): number {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(value) || value < min) throw new Error(`${name}: an integer ≥ ${min}`);
  return value;
}

const BIG_MIB = intFromEnv('BENCH_BIG_MIB', 2048, 1);
const SMALL_FILES = intFromEnv('BENCH_SMALL_FILES', 2000, 1);
const SMALL_KIB = intFromEnv('BENCH_SMALL_KIB', 100, 1);
const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

const SERVER_USER = 'ada.lovelace';
const PASSWORD = 'bench-app-password';
const USER = 'ada';
const SECRET = randomBytes(32).toString('hex');
const sign = createTokenSigner(SECRET);
const bearer = (issuer: string, audience: string) => ({
  authorization: `Bearer ${sign({ issuer, audience, user: USER })}`,
});

// This process hosts the repository fake, which takes every byte of both big-file runs: it runs
// with the settings of the services that relay files, so that neither run waits on its garbage
// collections (without them its CPU for the exporter's run varied from 11 to 20 s).
const missingFlags = STREAMING_NODE_FLAGS.filter((flag) => !process.execArgv.includes(flag));
if (missingFlags.length > 0) {
  console.error(
    `Start the benchmark with npm run bench:transfer (it needs ${missingFlags.join(' ')}).`,
  );
  process.exit(2);
}
tuneForStreaming();

const scratch = mkdtempSync(join(tmpdir(), 'rds-bench-transfer-'));
const services: ServiceProcess[] = [];
let apache: ApacheDav | undefined;
let fake: FakeInvenio | undefined;

/** `mib` MiB that differ from one MiB to the next; its md5. */
function writeBigFile(path: string, mib: number): string {
  mkdirSync(join(path, '..'), { recursive: true });
  const block = randomBytes(1024 ** 2);
  const md5 = createHash('md5');
  const file = openSync(path, 'w');
  for (let i = 0; i < mib; i++) {
    block.writeUInt32BE(i, 0);
    writeSync(file, block);
    md5.update(block);
  }
  closeSync(file);
  return md5.digest('hex');
}

/** `count` files of `kib` KiB, a hundred to a folder. */
function writeSmallFiles(root: string, count: number, kib: number): void {
  for (let i = 0; i < count; i++) {
    const folder = join(root, `part-${String(Math.floor(i / 100)).padStart(2, '0')}`);
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, `file-${i}.bin`), randomBytes(kib * 1024));
  }
}

async function json<T>(url: string, init: RequestInit & { expect?: number } = {}): Promise<T> {
  const answer = await fetch(url, {
    ...init,
    headers: { ...(init.body ? { 'content-type': 'application/json' } : {}), ...init.headers },
  });
  const text = await answer.text();
  if (answer.status !== (init.expect ?? answer.status) || answer.status >= 400)
    throw new Error(`${init.method ?? 'GET'} ${url} answered ${answer.status}: ${text}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

async function startServices(): Promise<Record<string, string>> {
  const shared = {
    LOG_LEVEL: 'warn',
    RDS_SHUTDOWN_DELAY_MS: '0',
    RDS_SERVICE_SECRET: SECRET,
    RDS_ENCRYPTION_KEY: generateKey(),
  };
  // Each service with a database has a schema of its own, as deploy/ gives it.
  const run = randomBytes(4).toString('hex');
  const central = (service: string) => ({
    ...shared,
    DATABASE_URL,
    RDS_DATABASE_SCHEMA: `bench_${run}_${service.replace('-', '_')}`,
  });
  const start = async (name: string, env: Record<string, string>) => {
    const service = await serveService(name, env);
    services.push(service);
    return service;
  };
  const tokenStorage = await start('token-storage', {
    ...central('token-storage'),
    RDS_ALLOW_ANONYMOUS_REGISTRATION: 'true',
  });
  const registry = { ...shared, RDS_TOKEN_STORAGE_URL: tokenStorage.url };
  await start('research-manager', central('research-manager'));
  await start('webdav', { ...registry, RDS_WEBDAV_SERVER_URL: apache!.url });
  await start('zenodo', { ...registry, RDS_INVENIO_URL: fake!.url });
  await start('local-archive', {
    ...registry,
    RDS_LOCAL_ARCHIVE_ROOT: join(scratch, 'archive'),
  });
  await start('exporter', {
    ...central('exporter'),
    ...urlsOf(services),
    RDS_EXPORTER_POLL_MS: '100',
  });
  for (const [servicename, password] of [
    ['webdav', PASSWORD],
    ['zenodo', fake!.addUser(USER)],
  ]) {
    const userId = servicename === 'webdav' ? SERVER_USER : USER;
    await json(`${tokenStorage.url}/connections/${servicename}`, {
      method: 'PUT',
      headers: bearer('port-service', 'token-storage'),
      body: JSON.stringify({ kind: 'credentials', userId, password }),
    });
  }
  return urlsOf(services);
}

const METADATA = {
  title: 'Transfer benchmark',
  creators: [{ name: 'Lovelace, Ada' }],
  description: 'Bytes to move.',
  publicationDate: '2026-11-22',
  resourceType: 'dataset',
  license: { id: 'CC-BY-4.0' },
};

/** A context ready to export `folder` of the WebDAV storage to `target`. */
async function readyContext(rm: string, folder: string, target: unknown): Promise<string> {
  let etag = '';
  const send = async (method: string, path: string, body: unknown) => {
    const answer = await fetch(`${rm}${path}`, {
      method,
      headers: {
        'content-type': 'application/json',
        ...bearer('research', 'research-manager'),
        ...(etag ? { 'if-match': etag } : {}),
      },
      body: JSON.stringify(body),
    });
    if (!answer.ok) throw new Error(`${method} ${path}: ${answer.status} ${await answer.text()}`);
    etag = answer.headers.get('etag') ?? '';
    return (await answer.json()) as { id: string };
  };
  const { id } = await send('POST', '/contexts', { name: `bench ${folder}` });
  await send('PATCH', `/contexts/${id}`, { metadata: METADATA });
  await send('POST', `/contexts/${id}/sources`, { port: 'webdav', settings: { folder } });
  await send('POST', `/contexts/${id}/targets`, target);
  await send('PUT', `/contexts/${id}/status`, { status: 'ready' });
  return id;
}

interface Progress {
  state: string;
  reason?: string;
  files: { total: number; done: number; failed: number };
  errors: { reason: string; path?: string }[];
  targets: { doi?: string }[];
}

/**
 * CPU used from now on: by the whole machine (of the core-seconds that passed) and by this
 * process, which hosts the repository fake; so a run shows whether the machine was saturated.
 */
function machineMeter(): () => string {
  const machine = () => {
    const [, ...ticks] = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/);
    const values = ticks.map(Number);
    const idle = values[3]! + values[4]!;
    return {
      busy: values.reduce((a, b) => a + b, 0) - idle,
      all: values.reduce((a, b) => a + b, 0),
    };
  };
  const before = { machine: machine(), own: process.cpuUsage() };
  return () => {
    const now = machine();
    const own = process.cpuUsage(before.own);
    const busy = (now.busy - before.machine.busy) / 100;
    const all = (now.all - before.machine.all) / 100;
    return `machine busy ${fixed(busy)} of ${fixed(all)} core-seconds; this process (the fake) ${fixed((own.user + own.system) / 1e6)} s`;
  };
}

/** Seconds from asking the exporter to export until the run has ended (polled every 100 ms). */
async function timeExport(urls: Record<string, string>, contextId: string) {
  const exporter = urls.RDS_EXPORTER_URL!;
  const cpuBefore = services.map((s) => s.cpuSeconds());
  const machine = machineMeter();
  const started = performance.now();
  const { runId } = await json<{ runId: string }>(`${exporter}/exports`, {
    method: 'POST',
    headers: bearer('web', 'exporter'),
    body: JSON.stringify({ contextId }),
  });
  for (;;) {
    const progress = await json<Progress>(`${exporter}/exports/${runId}?contextId=${contextId}`, {
      headers: bearer('web', 'exporter'),
    });
    if (progress.state !== 'running') {
      const seconds = (performance.now() - started) / 1000;
      if (progress.state !== 'done')
        throw new Error(`the export ended ${progress.state}: ${JSON.stringify(progress)}`);
      const cpu = services.map((s, i) => {
        const [now, before] = [s.cpuSeconds(), cpuBefore[i]!];
        return `${s.name} ${fixed(now.total - before.total)} (${fixed(now.system - before.system)})`;
      });
      const usage = `CPU seconds (in the kernel): ${cpu.join(', ')}; ${machine()}`;
      return { seconds, progress, cpu: usage };
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Runs `command` in a shell, inheriting nothing but its exit status; its duration in seconds. */
function timeShell(command: string, env: Record<string, string> = {}): Promise<number> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-o', 'pipefail', '-c', command], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('exit', (code) =>
      code === 0
        ? resolve((performance.now() - started) / 1000)
        : reject(new Error(`${command.split(' ')[0]} failed (${code}): ${stderr}`)),
    );
  });
}

/** The big file with curl: GET from WebDAV piped into PUT to a draft of the same fake. */
async function timeCurlPipe(token: string, md5: string) {
  const api = `${fake!.url}/api/records`;
  const auth = { authorization: `Bearer ${token}` };
  const draft = await json<{ id: string }>(api, {
    method: 'POST',
    headers: auth,
    body: JSON.stringify({ metadata: {}, files: { enabled: true } }),
  });
  const files = `${api}/${draft.id}/draft/files`;
  const machine = machineMeter();
  await json(files, { method: 'POST', headers: auth, body: JSON.stringify([{ key: 'big.bin' }]) });
  const source = `${apache!.url}/remote.php/dav/files/${SERVER_USER}/big/big.bin`;
  const seconds = await timeShell(
    `curl -sSf -u "$DAV_AUTH" "$SOURCE" | curl -sSf -X PUT -H "authorization: Bearer $TOKEN" ` +
      `-H 'content-type: application/octet-stream' -T - "$TARGET" -o /dev/null`,
    {
      DAV_AUTH: `${SERVER_USER}:${PASSWORD}`,
      SOURCE: source,
      TOKEN: token,
      TARGET: `${files}/big.bin/content`,
    },
  );
  const usage = machine();
  const committed = await json<{ checksum: string }>(`${files}/big.bin/commit`, {
    method: 'POST',
    headers: auth,
  });
  if (committed.checksum !== `md5:${md5}`) throw new Error('the curl pipe corrupted the file');
  return { seconds, usage };
}

function timeRclone(destination: string): Promise<number> {
  const obscured = execFileSync('rclone', ['obscure', PASSWORD], { encoding: 'utf8' }).trim();
  return timeShell(`rclone copy dav:/small "${destination}"`, {
    RCLONE_CONFIG_DAV_TYPE: 'webdav',
    RCLONE_CONFIG_DAV_URL: `${apache!.url}/remote.php/dav/files/${SERVER_USER}`,
    RCLONE_CONFIG_DAV_VENDOR: 'other',
    RCLONE_CONFIG_DAV_USER: SERVER_USER,
    RCLONE_CONFIG_DAV_PASS: obscured,
  });
}

const mb = (bytes: number) => bytes / 1e6;
const fixed = (value: number, digits = 2) => value.toFixed(digits);

async function main(): Promise<void> {
  console.log(`transfer bench: ${BIG_MIB} MiB file; ${SMALL_FILES} files of ${SMALL_KIB} KiB`);
  apache = await startApache(SERVER_USER, PASSWORD);
  const md5 = writeBigFile(join(apache.files, 'big', 'big.bin'), BIG_MIB);
  writeSmallFiles(join(apache.files, 'small'), SMALL_FILES, SMALL_KIB);
  apache.own();
  fake = await startFakeInvenio();
  const urls = await startServices();
  const rm = urls.RDS_RESEARCH_MANAGER_URL!;
  const exporter = services.find((s) => s.name === 'exporter')!;
  const baselineMb = exporter.peakRssMb();

  const bigBytes = BIG_MIB * 1024 ** 2;
  const curl = await timeCurlPipe(fake.addUser('curl'), md5);
  const curlSeconds = curl.seconds;
  const bigContext = await readyContext(rm, '/big', {
    port: 'zenodo',
    settings: { mode: 'draft', folders: 'encode-paths' },
  });
  const big = await timeExport(urls, bigContext);
  const bigPeakMb = exporter.peakRssMb();

  const smallBytes = SMALL_FILES * SMALL_KIB * 1024;
  const rcloneSeconds = await timeRclone(join(scratch, 'rclone'));
  const smallContext = await readyContext(rm, '/small', {
    port: 'local-archive',
    settings: { mode: 'publish' },
  });
  const small = await timeExport(urls, smallContext);
  if (small.progress.files.done !== SMALL_FILES)
    throw new Error(`${small.progress.files.done} of ${SMALL_FILES} small files exported`);
  const peakMb = exporter.peakRssMb();

  const rate = (bytes: number, seconds: number) => `${fixed(mb(bytes) / seconds, 1)} MB/s`;
  console.log(
    `big file   curl pipe ${fixed(curlSeconds)} s (${rate(bigBytes, curlSeconds)}), ` +
      `exporter ${fixed(big.seconds)} s (${rate(bigBytes, big.seconds)})`,
  );
  console.log(
    `small files rclone ${fixed(rcloneSeconds)} s (${fixed(SMALL_FILES / rcloneSeconds, 0)} files/s, ${rate(smallBytes, rcloneSeconds)}), ` +
      `exporter ${fixed(small.seconds)} s (${fixed(SMALL_FILES / small.seconds, 0)} files/s, ${rate(smallBytes, small.seconds)})`,
  );
  console.log(`  during the curl pipe: ${curl.usage}`);
  console.log(`  during the big file: ${big.cpu}`);
  console.log(`  during the small files: ${small.cpu}`);
  console.log(
    `exporter memory: ${fixed(baselineMb, 1)} MB at rest, peak ${fixed(bigPeakMb, 1)} MB ` +
      `after the big file, ${fixed(peakMb, 1)} MB after the small files`,
  );
  console.log(`small-files ratio: ${fixed(small.seconds / rcloneSeconds, 3)} (exporter / rclone)`);
  console.log(`ratio: ${fixed(big.seconds / curlSeconds, 3)}`);
}

async function cleanUp(): Promise<void> {
  for (const service of services.reverse()) await service.stop().catch(() => undefined);
  await fake?.close();
  await apache?.stop();
  rmSync(scratch, { recursive: true, force: true });
}

try {
  await main();
} catch (error) {
  console.error(error);
  process.exitCode = 1;
} finally {
  await cleanUp();
}
