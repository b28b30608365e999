import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { Counter } from 'prom-client';
import {
  bearer,
  startTestService,
  TEST_SECRET,
  type RunningService,
  call,
} from '../src/testing.ts';

import { createService, loadSettings } from '../src/host.ts';
import { probe, type Probe } from './probe-service.ts';

let alpha: RunningService;
let readinessFails = false;
const asBeta = bearer({ issuer: 'beta', audience: 'alpha' });

/** The probe, with a readiness check that can be made to fail and a metric of its own. */
function observedProbe(): Probe {
  const base = probe('alpha');
  return {
    ...base,
    setup: async (ctx) => {
      const parts = await base.setup(ctx);
      const echoes = new Counter({
        name: 'probe_echoes_total',
        help: 'Echoes answered',
        registers: [ctx.metrics],
      });
      const echo = parts.handlers.echo!;
      return {
        ...parts,
        handlers: {
          ...parts.handlers,
          echo: async (req, reply) => (echoes.inc(), echo(req, reply)),
        },
        readiness: [
          {
            name: 'database',
            check: async () => {
              if (readinessFails) throw new Error('connection refused');
            },
          },
        ],
      };
    },
  };
}

beforeAll(async () => {
  alpha = await startTestService(observedProbe());
});
afterAll(() => alpha.close());

describe('/metrics', () => {
  test('counts requests per route template, method and status, with latency histograms', async () => {
    for (const id of [1, 2, 3]) await call(`${alpha.url}/items/${id}`, { headers: asBeta });
    await call(`${alpha.url}/items/999`, { headers: asBeta });
    await call(`${alpha.url}/echo`, {
      method: 'POST',
      headers: asBeta,
      json: { title: 'a', count: 1 },
    });
    await call(`${alpha.url}/no/such/path/${Date.now()}`);
    const text = (await call(`${alpha.url}/metrics`)).text;
    expect(text).toContain(
      'http_server_requests_total{method="GET",route="/items/:id",status="200",service="alpha"} 3',
    );
    expect(text).toContain(
      'http_server_requests_total{method="GET",route="/items/:id",status="404",service="alpha"} 1',
    );
    expect(text).toContain(
      'http_server_requests_total{method="GET",route="unmatched",status="404",service="alpha"} 1',
    );
    expect(text).toMatch(
      /http_server_request_duration_seconds_bucket\{le="\+Inf",service="alpha",method="GET",route="\/items\/:id",status="200"\} 3/,
    );
    expect(text).not.toMatch(/route="\/items\/1"/);
  });

  test('has process and event-loop metrics and the service’s own', async () => {
    const text = (await call(`${alpha.url}/metrics`)).text;
    for (const name of [
      'process_cpu_seconds_total',
      'process_resident_memory_bytes',
      'nodejs_eventloop_lag_p99_seconds',
      'probe_echoes_total',
    ]) {
      expect(text).toContain(`# TYPE ${name}`);
    }
    expect(text).toMatch(/probe_echoes_total\{service="alpha"\} [1-9]/);
  });

  test('passes promtool check metrics', async () => {
    const text = (await call(`${alpha.url}/metrics`)).text;
    const promtool = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
    expect(
      promtool.error,
      'promtool (Debian package prometheus) must be installed',
    ).toBeUndefined();
    expect(promtool.stderr + promtool.stdout).toBe('');
    expect(promtool.status).toBe(0);
  });
});

describe('/health', () => {
  test('live and ready while every check passes', async () => {
    expect((await call(`${alpha.url}/health/live`)).json()).toEqual({ status: 'up' });
    const ready = await call(`${alpha.url}/health/ready`);
    expect(ready.status).toBe(200);
    expect(ready.json()).toEqual({ status: 'ready', checks: { database: 'ok' } });
  });

  test('a failing check makes the service not ready, but still live; it recovers', async () => {
    readinessFails = true;
    const ready = await call(`${alpha.url}/health/ready`);
    expect(ready.status).toBe(503);
    expect(ready.json()).toEqual({ status: 'not-ready', checks: { database: 'failing' } });
    expect(ready.text).not.toContain('connection refused');
    expect((await call(`${alpha.url}/health/live`)).status).toBe(200);
    readinessFails = false;
    expect((await call(`${alpha.url}/health/ready`)).status).toBe(200);
  });

  test('not ready while starting, nor once shutting down', async () => {
    const settings = loadSettings<Record<string, string>>(
      { type: 'object', properties: {} },
      { RDS_SERVICE_SECRET: TEST_SECRET, LOG_LEVEL: 'silent', RDS_SHUTDOWN_DELAY_MS: '300' },
    );
    const service = await createService(observedProbe(), settings);
    // The port is open, but the service has not declared itself serving yet.
    const url = await service.app.listen({ port: 0, host: '127.0.0.1' });
    const starting = await call(`${url}/health/ready`);
    expect(starting.status).toBe(503);
    expect(starting.json()).toEqual({ status: 'starting', checks: {} });
    service.lifecycle.serving();
    expect((await call(`${url}/health/ready`)).status).toBe(200);
    const closed = service.close();
    const stopping = await call(`${url}/health/ready`);
    expect(stopping.status).toBe(503);
    expect(stopping.json()).toEqual({ status: 'stopping', checks: {} });
    await closed;
  });
});
