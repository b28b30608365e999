import { trace } from '@opentelemetry/api';
import { FastifyOtelInstrumentation } from '@fastify/otel';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } from '@opentelemetry/semantic-conventions';
import type { FastifyInstance } from 'fastify';

export interface TracingOptions {
  /** `service.name` of this process: the service, or `rds` when one process runs them all. */
  serviceName: string;
  version: string;
  /** OTLP/HTTP endpoint, e.g. `http://otel-collector:4318`; spans are exported only when set. */
  otlpEndpoint?: string | undefined;
}

let provider: NodeTracerProvider | undefined;

/**
 * OpenTelemetry's API is process-wide, so tracing is started once per process: W3C trace
 * context propagation, the async-local context manager, and spans for outbound undici calls.
 */
export function startTracing(options: TracingOptions): void {
  if (provider) return;
  const exporter = options.otlpEndpoint
    ? new OTLPTraceExporter({ url: `${options.otlpEndpoint.replace(/\/$/, '')}/v1/traces` })
    : undefined;
  provider = new NodeTracerProvider({
    resource: resourceFromAttributes({
      [ATTR_SERVICE_NAME]: options.serviceName,
      [ATTR_SERVICE_VERSION]: options.version,
    }),
    spanProcessors: exporter ? [new BatchSpanProcessor(exporter)] : [],
  });
  provider.register();
  registerInstrumentations({
    tracerProvider: provider,
    instrumentations: [new UndiciInstrumentation()],
  });
}

/** Flushes spans still buffered for export; part of a clean shutdown. */
export async function stopTracing(): Promise<void> {
  await provider?.forceFlush();
}

/** Spans for every inbound request, continuing the caller's `traceparent`. */
export async function registerTracing(app: FastifyInstance, serviceName: string): Promise<void> {
  const instrumentation = new FastifyOtelInstrumentation({
    requestHook: (span) => span.setAttribute('rds.service', serviceName),
    instrumentHooks: false,
    instrumentHandler: false,
    ignorePaths: ({ url }) => url === '/metrics' || url.startsWith('/health/'),
  });
  await app.register(instrumentation.plugin());
}

export function currentTraceId(): string | undefined {
  const span = trace.getActiveSpan();
  const id = span?.spanContext().traceId;
  return id && !/^0+$/.test(id) ? id : undefined;
}

/** pino mixin: every log line written while a span is active names its trace. */
export function traceLogFields(): Record<string, string> {
  const spanContext = trace.getActiveSpan()?.spanContext();
  return spanContext ? { traceId: spanContext.traceId, spanId: spanContext.spanId } : {};
}
