/**
 * token-storage as its own process, the way it runs in production: `bin/rds serve token-storage`
 * from the repository root, configured only by the environment given here.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const RDS = fileURLToPath(new URL('../../../../bin/rds', import.meta.url));

export interface ServedProcess {
  url: string;
  pid: number;
  /** Everything the process wrote so far, stdout and stderr. */
  output: () => string;
  /** SIGTERM, then SIGKILL if it has not exited within `graceMs`; resolves with the exit code. */
  stop: (graceMs?: number) => Promise<number | null>;
}

/**
 * Starts `bin/rds serve <service>` with `env` on top of this process's environment less every
 * RDS setting (so that nothing set for the test run, such as DATABASE_URL, leaks in unasked).
 * Resolves with the URL from its JSON log line once it listens; rejects if it exits first or
 * does not listen within `timeoutMs`.
 */
export async function serveService(
  service: string,
  env: Record<string, string>,
  timeoutMs = 50_000,
): Promise<ServedProcess> {
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(
      ([name]) => !name.startsWith('RDS_') && !['DATABASE_URL', 'PORT', 'HOST'].includes(name),
    ),
  );
  const child = spawn(RDS, ['serve', service], {
    cwd: REPO_ROOT,
    env: { ...inherited, PORT: '0', LOG_LEVEL: 'info', RDS_SHUTDOWN_DELAY_MS: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = once(child, 'exit').then(([code]) => code as number | null);
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${service} did not listen within ${timeoutMs} ms:\n${output}`));
    }, timeoutMs);
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /"url":"(http:\/\/[^"]+)"/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`${service} exited (${code}) before listening:\n${output}`));
    });
  });
  return {
    url,
    pid: child.pid!,
    output: () => output,
    stop: async (graceMs = 10_000) => {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      try {
        return await exited;
      } finally {
        clearTimeout(timer);
      }
    },
  };
}
