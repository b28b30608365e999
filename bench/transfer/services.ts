/**
 * RDS services for the transfer benchmark, each in its own process as in production, started
 * with the `rds serve` command, so that the exporter's memory is its own.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { envName } from '@rds/kit';
import { STREAMING_NODE_FLAGS } from '@rds/kit/host';
import { loadService } from '../../cli/src/services.ts';
import { freePort } from '@rds/test-peers';

const RDS = fileURLToPath(new URL('../../bin/rds', import.meta.url));

export interface ServiceProcess {
  name: string;
  url: string;
  /** The most memory the process has held so far (VmHWM), in MB. */
  peakRssMb: () => number;
  /** CPU time the process has used so far, in seconds: all of it, and the kernel's part. */
  cpuSeconds: () => CpuSeconds;
  stop: () => Promise<void>;
}

const running = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/** `rds serve <name>` with `env`, once its readiness answers 200. */
export async function serveService(
  name: string,
  env: Record<string, string>,
): Promise<ServiceProcess> {
  const port = await freePort();
  const profile = process.env.BENCH_CPU_PROF
    ? ['--cpu-prof', '--cpu-prof-dir', process.env.BENCH_CPU_PROF]
    : [];
  // As its deployment starts it (deploy/generate.ts).
  const { streamsFiles } = await loadService(name);
  const flags = streamsFiles ? STREAMING_NODE_FLAGS : [];
  const child = spawn(process.execPath, [...profile, ...flags, RDS, 'serve', name], {
    env: {
      ...process.env,
      ...env,
      PORT: String(port),
      HOST: '127.0.0.1',
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  running.add(child);
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  const url = `http://127.0.0.1:${port}`;
  await waitUntilReady(name, url, child, () => stderr);
  return {
    name,
    url,
    peakRssMb: () => peakRssMb(child.pid!),
    cpuSeconds: () => cpuSeconds(child.pid!),
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      running.delete(child);
    },
  };
}

/** Every service `url` by its setting name, for the services that call it. */
export function urlsOf(services: ServiceProcess[]): Record<string, string> {
  return Object.fromEntries(services.map((s) => [envName(s.name), s.url]));
}

async function waitUntilReady(
  name: string,
  url: string,
  child: ChildProcess,
  log: () => string,
): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${name} exited: ${log()}`);
    const ready = await fetch(`${url}/health/ready`).then(
      (answer) => answer.ok,
      () => false,
    );
    if (ready) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${name} was not ready within 60 s: ${log()}`);
}

function peakRssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = /VmHWM:\s+(\d+) kB/.exec(status)?.[1];
  if (!kb) throw new Error(`no VmHWM for process ${pid}`);
  return Number(kb) / 1024;
}

/** utime + stime of /proc/<pid>/stat (fields 14 and 15, after the parenthesised name). */
export interface CpuSeconds {
  total: number;
  /** Spent in the kernel: for a relay of bytes, mostly loopback TCP. */
  system: number;
}

function cpuSeconds(pid: number): CpuSeconds {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticksPerSecond = 100;
  const [user, system] = [Number(fields[11]), Number(fields[12])];
  return { total: (user + system) / ticksPerSecond, system: system / ticksPerSecond };
}
