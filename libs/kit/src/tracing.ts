import {
  propagation,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  TraceFlags,
  type Context,
  type Span,
} from '@opentelemetry/api';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  BatchSpanProcessor,
  NodeTracerProvider,
  ParentBasedSampler,
  RandomIdGenerator,
} from '@opentelemetry/sdk-trace-node';
import { ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } from '@opentelemetry/semantic-conventions';
import type { FastifyRequest } from 'fastify';

export interface TracingOptions {
  /** `service.name` of this process: the service, or `rds` when one process runs them all. */
  serviceName: string;
  version: string;
  /** OTLP/HTTP endpoint, e.g. `http://otel-collector:4318`; spans are exported only when set. */
  otlpEndpoint?: string | undefined;
}

let provider: NodeTracerProvider | undefined;
/** Whether spans go anywhere: only then are inbound requests' spans recorded. */
let exporting = false;

/**
 * OpenTelemetry's API is process-wide, so tracing is started once per process: W3C trace
 * context propagation, the async-local context manager, and spans for outbound undici calls.
 */
export function startTracing(options: TracingOptions): void {
  if (provider) return;
  const exporter = options.otlpEndpoint
    ? new OTLPTraceExporter({ url: `${options.otlpEndpoint.replace(/\/$/, '')}/v1/traces` })
    : undefined;
  exporting = exporter !== undefined;
  provider = new NodeTracerProvider({
    resource: resourceFromAttributes({
      [ATTR_SERVICE_NAME]: options.serviceName,
      [ATTR_SERVICE_VERSION]: options.version,
    }),
    spanProcessors: exporter ? [new BatchSpanProcessor(exporter)] : [],
    // Without an exporter nobody reads a span, so none is recorded: trace ids are still made,
    // continued and passed on, and a caller that asks for sampling (flag 01) is still obeyed.
    sampler: new ParentBasedSampler({
      root: exporter ? new AlwaysOnSampler() : new AlwaysOffSampler(),
    }),
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

const tracer = trace.getTracer('@rds/kit');
const SPAN = Symbol('rds.span');

/**
 * Starts the span of an inbound request, continuing the caller's `traceparent`, and returns the
 * context the rest of the request runs in. Two plain hooks rather than @fastify/otel: that plugin
 * wraps every hook and switches context three times per request, which cost more than all other
 * kit features together in bench/kit-overhead.
 */
export function startRequestSpan(
  request: FastifyRequest,
  route: string,
  serviceName: string,
): Context {
  const parent = propagation.extract(ROOT_CONTEXT, request.headers);
  if (!exporting) return trace.setSpan(parent, unrecordedSpan(parent));
  const span = tracer.startSpan(
    `${request.method} ${route}`,
    {
      kind: SpanKind.SERVER,
      attributes: {
        'http.request.method': request.method,
        'http.route': route,
        'rds.service': serviceName,
      },
    },
    parent,
  );
  (request as unknown as Record<symbol, Span>)[SPAN] = span;
  return trace.setSpan(parent, span);
}

const ids = new RandomIdGenerator();

/**
 * Without an exporter no span is read, so none is recorded: the request gets a span context
 * only, continuing the caller's trace (and its sampling flag) or starting one, for log lines,
 * problems and outbound calls, without a pass through the tracer and its sampler.
 */
function unrecordedSpan(parent: Context): Span {
  const caller = trace.getSpanContext(parent);
  return trace.wrapSpanContext({
    traceId: caller?.traceId ?? ids.generateTraceId(),
    spanId: ids.generateSpanId(),
    traceFlags: caller?.traceFlags ?? TraceFlags.NONE,
    ...(caller?.traceState ? { traceState: caller.traceState } : {}),
  });
}

export function endRequestSpan(request: FastifyRequest, statusCode: number): void {
  const span = (request as unknown as Record<symbol, Span | undefined>)[SPAN];
  if (!span) return;
  span.setAttribute('http.response.status_code', statusCode);
  if (statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
  span.end();
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
