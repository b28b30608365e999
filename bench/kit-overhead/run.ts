/**
 * Kit overhead: the same JSON route from bare Fastify and from a kit service, each in its own
 * child process on 127.0.0.1, loaded in turn with autocannon from this process. The last line
 * printed is `ratio: <kit req/s / bare req/s>`. See bench/README.md.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { createTokenSigner } from '@rds/kit';
import type { FromChild, ToChild } from './child.ts';
import { INVALID_BODY, placeOrder, REQUEST_BODY, ROUTE, SERVICE_NAME } from './route.ts';

function intFromEnv(name: string, fallback: number, min: number, max: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max)
    throw new Error(`${name} must be an integer from ${min} to ${max}, not '${raw}'`);
  return value;
}

const DURATION = intFromEnv('BENCH_DURATION', 10, 1, 240);
const CONNECTIONS = intFromEnv('BENCH_CONNECTIONS', 50, 1, 1000);
const PIPELINING = intFromEnv('BENCH_PIPELINING', 1, 1, 100);
const WARMUP = intFromEnv('BENCH_WARMUP', 3, 0, 60);
const ROUNDS = intFromEnv('BENCH_ROUNDS', 1, 1, 10);
const LOG_LEVEL = process.env.BENCH_LOG_LEVEL || 'warn';
/** A directory: both children run with `--cpu-prof` and write their profiles there. */
const CPU_PROF_DIR = process.env.BENCH_CPU_PROF || undefined;

const SECRET = randomBytes(32).toString('hex');
const sign = createTokenSigner(SECRET);
/** A fresh token per load phase: tokens live at most five minutes, a phase at most four. */
const bearer = () =>
  `Bearer ${sign({ issuer: 'bench-caller', audience: SERVICE_NAME, lifetime: 300 })}`;

type Name = 'bare' | 'kit';

interface Server {
  name: Name;
  child: ChildProcess;
  url: string;
  /** Headers every request to this server carries besides the content type. */
  headers: () => Record<string, string>;
}

const children = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of children) child.kill('SIGKILL');
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    console.error(`\n${signal}: stopping the servers`);
    process.exit(130); // the exit handler kills the children
  });
}

function nextMessage<T extends FromChild['type']>(
  child: ChildProcess,
  type: T,
  timeoutMs: number,
): Promise<Extract<FromChild, { type: T }>> {
  return new Promise((resolve, reject) => {
    const cleanup = () => {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
    };
    const onMessage = (message: FromChild) => {
      if (message.type === 'failed') {
        cleanup();
        reject(new Error(`server failed to start:\n${message.error}`));
      } else if (message.type === type) {
        cleanup();
        resolve(message as Extract<FromChild, { type: T }>);
      }
    };
    const onExit = (code: number | null, signal: string | null) => {
      cleanup();
      reject(new Error(`server exited (code ${code}, signal ${signal}) while awaited`));
    };
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`server sent no '${type}' within ${timeoutMs} ms`));
    }, timeoutMs);
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}

async function startServer(
  name: Name,
  env: Record<string, string>,
  headers: Server['headers'],
): Promise<Server> {
  const file = fileURLToPath(new URL(`./${name}-server.ts`, import.meta.url));
  const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env };
  for (const key of ['OTEL_EXPORTER_OTLP_ENDPOINT', 'RDS_CONFIG_FILE', 'NODE_OPTIONS'])
    delete childEnv[key];
  const child = fork(file, [], {
    execArgv: [
      '--import',
      'tsx',
      ...(CPU_PROF_DIR ? ['--cpu-prof', `--cpu-prof-dir=${CPU_PROF_DIR}`] : []),
    ],
    env: childEnv,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  children.add(child);
  child.once('exit', () => children.delete(child));
  const { url } = await nextMessage(child, 'ready', 30_000);
  console.log(`${name}: pid ${child.pid}, listening on ${url}`);
  return { name, child, url, headers };
}

async function stopServer(server: Server): Promise<void> {
  if (server.child.exitCode !== null || server.child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => server.child.once('exit', () => resolve()));
  server.child.send({ type: 'stop' } satisfies ToChild);
  const timer = setTimeout(() => server.child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

async function serverCpuUsage(server: Server): Promise<NodeJS.CpuUsage> {
  const reply = nextMessage(server.child, 'cpu', 5_000);
  server.child.send({ type: 'cpu' } satisfies ToChild);
  return (await reply).usage;
}

async function post(server: Server, body: unknown, headers: Record<string, string>) {
  const response = await fetch(server.url + ROUTE, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  return {
    status: response.status,
    type: response.headers.get('content-type') ?? '',
    text: await response.text(),
  };
}

function expect(condition: boolean, what: string): void {
  if (!condition) throw new Error(`verification failed: ${what}`);
}

/** Both servers must answer the benchmarked request with 200 and the expected order, and refuse bad ones. */
async function verify(server: Server): Promise<void> {
  const expected = placeOrder(REQUEST_BODY);
  const ok = await post(server, REQUEST_BODY, server.headers());
  expect(ok.status === 200, `${server.name}: ${ok.status} instead of 200: ${ok.text}`);
  expect(ok.type.startsWith('application/json'), `${server.name}: content type ${ok.type}`);
  expect(
    isDeepStrictEqual(JSON.parse(ok.text), expected),
    `${server.name}: unexpected body ${ok.text}`,
  );
  const invalid = await post(server, INVALID_BODY, server.headers());
  expect(
    invalid.status === 400,
    `${server.name}: invalid body answered ${invalid.status}, not 400`,
  );
  if (server.name === 'kit') {
    const anonymous = await post(server, REQUEST_BODY, {});
    expect(anonymous.status === 401, `kit: no token answered ${anonymous.status}, not 401`);
    const forged = createTokenSigner(randomBytes(32).toString('hex'))({
      issuer: 'bench-caller',
      audience: SERVICE_NAME,
    });
    const bad = await post(server, REQUEST_BODY, { authorization: `Bearer ${forged}` });
    expect(bad.status === 401, `kit: a token of another secret answered ${bad.status}, not 401`);
  }
  console.log(
    `${server.name}: verified (200 with the expected ${Buffer.byteLength(ok.text)}-byte body, 400 on an invalid body${server.name === 'kit' ? ', 401 without a valid token' : ''})`,
  );
}

interface Load {
  reqPerSec: number;
  p99: number;
  requests: number;
  /** Share of one core the server used while loaded. */
  serverCpu: number;
  /** Server CPU time per answered request, in microseconds: robust against a busy machine. */
  cpuPerRequest: number;
  /** The part of it spent in the kernel (sockets): it grows when the client waits more often. */
  systemPerRequest: number;
  loaderCpu: number;
}

async function load(server: Server, seconds: number, phase: string): Promise<Load> {
  const cpuBefore = await serverCpuUsage(server);
  const loaderBefore = process.cpuUsage();
  const started = process.hrtime.bigint();
  const result = await autocannon({
    url: server.url + ROUTE,
    method: 'POST',
    headers: { 'content-type': 'application/json', ...server.headers() },
    body: JSON.stringify(REQUEST_BODY),
    connections: CONNECTIONS,
    pipelining: PIPELINING,
    duration: seconds,
  });
  const wallMicros = Number(process.hrtime.bigint() - started) / 1000;
  const loader = process.cpuUsage(loaderBefore);
  const cpuAfter = await serverCpuUsage(server);
  const systemMicros = cpuAfter.system - cpuBefore.system;
  const serverCpuMicrosUsed = cpuAfter.user - cpuBefore.user + systemMicros;
  const problems = [
    result.non2xx > 0 ? `${result.non2xx} non-2xx responses` : '',
    result.errors > 0 ? `${result.errors} errors` : '',
    result.timeouts > 0 ? `${result.timeouts} timeouts` : '',
    result['2xx'] === 0 ? 'no 2xx response at all' : '',
  ].filter(Boolean);
  if (problems.length > 0)
    throw new Error(`${server.name} (${phase}): ${problems.join(', ')}: not measuring the route`);
  const measured: Load = {
    reqPerSec: result.requests.mean,
    p99: result.latency.p99,
    requests: result['2xx'],
    serverCpu: serverCpuMicrosUsed / wallMicros,
    cpuPerRequest: serverCpuMicrosUsed / result['2xx'],
    systemPerRequest: systemMicros / result['2xx'],
    loaderCpu: (loader.user + loader.system) / wallMicros,
  };
  console.log(
    `${server.name} ${phase}: ${fmt(measured.reqPerSec, 0)} req/s, p99 ${fmt(measured.p99, 2)} ms, ` +
      `${measured.requests} requests, server CPU ${pct(measured.serverCpu)} (${fmt(measured.cpuPerRequest, 1)} µs/request, ${fmt(measured.systemPerRequest, 1)} of it in the kernel), loader CPU ${pct(measured.loaderCpu)}`,
  );
  return measured;
}

const fmt = (n: number, digits: number) => n.toFixed(digits);
const pct = (n: number) => `${Math.round(n * 100)}%`;
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

/** The kit's own metrics must have counted every request the load generator got a 200 for. */
async function checkKitMetrics(kit: Server, atLeast: number): Promise<void> {
  const text = await (await fetch(`${kit.url}/metrics`)).text();
  const line = text
    .split('\n')
    .find(
      (l) =>
        l.startsWith('http_server_requests_total{') &&
        l.includes(`route="${ROUTE}"`) &&
        l.includes('status="200"'),
    );
  const counted = Number(line?.split(' ').pop() ?? 0);
  expect(
    counted >= atLeast,
    `kit metrics counted ${counted} requests to ${ROUTE}, expected at least ${atLeast}`,
  );
  console.log(`kit: its metrics counted ${counted} requests with status 200 on ${ROUTE}`);
}

async function main(): Promise<void> {
  console.log(
    `kit-overhead: POST ${ROUTE}, ${CONNECTIONS} connections, pipelining ${PIPELINING}, ` +
      `${WARMUP} s warm-up, ${ROUNDS} x ${DURATION} s per server, kit LOG_LEVEL=${LOG_LEVEL}`,
  );
  const servers = await Promise.all([
    startServer('bare', {}, () => ({})),
    startServer(
      'kit',
      {
        HOST: '127.0.0.1',
        PORT: '0',
        LOG_LEVEL,
        RDS_SERVICE_SECRET: SECRET,
        RDS_VALIDATE_RESPONSES: 'false',
        RDS_SHUTDOWN_DELAY_MS: '0',
        RDS_SHUTDOWN_TIMEOUT_MS: '2000',
      },
      () => ({ authorization: bearer() }),
    ),
  ]);
  const [bare, kit] = servers as [Server, Server];
  const results: Record<Name, Load[]> = { bare: [], kit: [] };
  try {
    for (const server of servers) await verify(server);
    if (WARMUP > 0) for (const server of servers) await load(server, WARMUP, 'warm-up');
    for (let round = 1; round <= ROUNDS; round += 1) {
      const order = round % 2 === 1 ? [bare, kit] : [kit, bare];
      for (const server of order)
        results[server.name].push(await load(server, DURATION, `round ${round}`));
    }
    const kitRequests = results.kit.reduce((sum, r) => sum + r.requests, 0);
    await checkKitMetrics(kit, kitRequests);
  } finally {
    await Promise.all(servers.map(stopServer));
  }
  if (CPU_PROF_DIR) console.log(`CPU profiles (CPU.*.<pid>.cpuprofile) are in ${CPU_PROF_DIR}`);

  // Printed after the children have exited, so that nothing of theirs follows the ratio line.
  const summary = (name: Name) => {
    const rounds = results[name];
    const reqPerSec = mean(rounds.map((r) => r.reqPerSec));
    const p99 = Math.max(...rounds.map((r) => r.p99));
    const cpuPerRequest = mean(rounds.map((r) => r.cpuPerRequest));
    const systemPerRequest = mean(rounds.map((r) => r.systemPerRequest));
    console.log(
      `${name.padEnd(4)}  req/s (mean): ${fmt(reqPerSec, 0).padStart(7)}   p99 latency: ${fmt(p99, 2)} ms` +
        `   server CPU: ${pct(mean(rounds.map((r) => r.serverCpu)))}, ${fmt(cpuPerRequest, 1)} µs/request (${fmt(systemPerRequest, 1)} in the kernel)`,
    );
    return { reqPerSec, cpuPerRequest };
  };
  console.log('');
  const bareSummary = summary('bare');
  const kitSummary = summary('kit');
  console.log(
    `cpu ratio: ${(bareSummary.cpuPerRequest / kitSummary.cpuPerRequest).toFixed(3)} ` +
      '(bare µs/request / kit µs/request)',
  );
  const all = [...results.bare, ...results.kit];
  if (all.some((r) => r.serverCpu < 0.85))
    console.log(
      'note: a server used less than 85% of a core under load: the machine was busy with ' +
        'something else, so req/s (and ratio) are unreliable; trust the cpu ratio more',
    );
  if (all.some((r) => r.loaderCpu > 0.9))
    console.log('note: the load generator used over 90% of a core: it may have limited req/s');
  console.log(`ratio: ${(kitSummary.reqPerSec / bareSummary.reqPerSec).toFixed(3)}`);
}

try {
  await main();
} catch (error) {
  console.error(`kit-overhead: ${(error as Error).message}`);
  process.exitCode = 1;
} finally {
  // Whatever failed (a server that never started, say): no child outlives the run.
  for (const child of children) child.kill('SIGKILL');
}
