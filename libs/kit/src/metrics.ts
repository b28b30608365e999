import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { FastifyInstance } from 'fastify';

const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/** Counts one answered request and its latency. */
export type RequestRecorder = (method: string, route: string, status: number, ms: number) => void;

/**
 * Prometheus metrics of one service: requests per route template, method and status, their
 * latency, process and event-loop metrics, and whatever the service adds to `registry`, served
 * at `/metrics`.
 */
export function registerMetrics(
  app: FastifyInstance,
  registry: Registry,
  serviceName: string,
): void {
  registry.setDefaultLabels({ service: serviceName });
  collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: 20 });
  // Gauges named like counters fail `promtool check metrics`; the per-type gauges they sum remain.
  for (const name of [
    'nodejs_active_handles_total',
    'nodejs_active_requests_total',
    'nodejs_active_resources_total',
  ]) {
    registry.removeSingleMetric(name);
  }
  app.get('/metrics', { config: { infrastructure: true } }, async (_request, reply) => {
    reply.type(registry.contentType);
    return registry.metrics();
  });
}

/** The metrics of requests, which the kit's request hooks record. */
export function requestMetrics(registry: Registry): RequestRecorder {
  const labelNames = ['method', 'route', 'status'] as const;
  const requests = new Counter({
    name: 'http_server_requests_total',
    help: 'HTTP requests handled, by route template, method and status',
    labelNames,
    registers: [registry],
  });
  const latency = new Histogram({
    name: 'http_server_request_duration_seconds',
    help: 'Time from request to response, by route template, method and status',
    labelNames,
    buckets: LATENCY_BUCKETS,
    registers: [registry],
  });
  // Label children are looked up once per route, method and status, not built per request.
  const children = new Map<string, { count: () => void; time: (seconds: number) => void }>();
  return (method, route, status, ms) => {
    const key = `${method} ${route} ${status}`;
    let child = children.get(key);
    if (!child) {
      const labels = { method, route, status: String(status) };
      const counter = requests.labels(labels);
      const histogram = latency.labels(labels);
      child = { count: () => counter.inc(), time: (seconds) => histogram.observe(seconds) };
      children.set(key, child);
    }
    child.count();
    child.time(ms / 1000);
  };
}
