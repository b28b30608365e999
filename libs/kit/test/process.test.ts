import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, request } from 'node:http';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, test } from 'vitest';
import { bearer, TEST_SECRET, call } from '../src/testing.ts';

const SCRIPT = fileURLToPath(new URL('./serve-probe.ts', import.meta.url));
const headers = bearer({ issuer: 'beta', audience: 'alpha' });
let child: ChildProcess | undefined;
afterEach(() => {
  child?.kill('SIGKILL');
});

/** Starts the probe as its own process, like `rds serve`; resolves with its URL once it listens. */
async function startProbe(
  env: Record<string, string>,
): Promise<{ url: string; exited: Promise<number | null> }> {
  child = spawn(process.execPath, ['--import', 'tsx', SCRIPT], {
    env: { ...process.env, RDS_SERVICE_SECRET: TEST_SECRET, LOG_LEVEL: 'info', PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = once(child, 'exit').then(([code]) => code as number | null);
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    child!.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /"url":"(http:\/\/[^"]+)"/.exec(output);
      if (match) resolve(match[1]!);
    });
    void exited.then(() => reject(new Error(`probe exited before listening:\n${output}`)));
  });
  return { url, exited };
}

/** A request on its own connection, so that a closed listener shows as a refused connection. */
function freshConnection(url: string): Promise<number | string> {
  return new Promise((resolve) => {
    const req = request(url, { agent: false }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
    req.end();
  });
}

describe('graceful shutdown on SIGTERM', () => {
  test('readiness turns false, new connections are refused, in-flight requests complete, the process exits', async () => {
    const { url, exited } = await startProbe({
      RDS_SHUTDOWN_DELAY_MS: '600',
      RDS_SHUTDOWN_TIMEOUT_MS: '10000',
    });
    const inFlight = call(`${url}/slow?ms=2500`, { headers });
    await sleep(200);
    const signalled = Date.now();
    child!.kill('SIGTERM');
    await sleep(100);
    // During the drain delay the service still answers, but says it is not ready.
    expect(await freshConnection(`${url}/health/ready`)).toBe(503);
    expect(await freshConnection(`${url}/health/live`)).toBe(200);
    await sleep(900);
    expect(await freshConnection(`${url}/health/live`)).toBe('ECONNREFUSED');
    const answer = await inFlight;
    expect(answer.status).toBe(200);
    expect(answer.json()).toEqual({ waited: 2500 });
    expect(await exited).toBe(0);
    expect(Date.now() - signalled).toBeLessThan(4000);
  });

  test('a request that outlives the bound is cut, and the process still exits in time', async () => {
    const { url, exited } = await startProbe({
      RDS_SHUTDOWN_DELAY_MS: '0',
      RDS_SHUTDOWN_TIMEOUT_MS: '1000',
    });
    const stuck = call(`${url}/slow?ms=30000`, { headers }).catch((error: Error) => error);
    await sleep(200);
    const signalled = Date.now();
    child!.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(Date.now() - signalled).toBeLessThan(2500);
    expect(await stuck).toBeInstanceOf(Error);
  });
});

describe('tracing export', () => {
  test('spans go to the configured OTLP endpoint, continuing the caller’s trace', async () => {
    const received: string[] = [];
    const collector = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        received.push(`${req.url} ${body}`);
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    collector.listen(0, '127.0.0.1');
    await once(collector, 'listening');
    const address = collector.address() as { port: number };
    try {
      const { url, exited } = await startProbe({
        RDS_SHUTDOWN_DELAY_MS: '0',
        OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${address.port}`,
      });
      const traceId = 'abcdef0123456789abcdef0123456789';
      const answer = await call(`${url}/items/3`, {
        headers: { ...headers, traceparent: `00-${traceId}-1234567890abcdef-01` },
      });
      expect(answer.status).toBe(200);
      child!.kill('SIGTERM');
      expect(await exited).toBe(0);
      const exported = received.join('\n');
      expect(exported).toContain('/v1/traces');
      expect(exported).toContain(traceId);
      expect(exported).toContain('/items/:id');
    } finally {
      collector.close();
    }
  });
});
