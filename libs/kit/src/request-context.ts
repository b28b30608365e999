import type { Server } from 'node:http';
import { context } from '@opentelemetry/api';
import type { FastifyContextConfig, FastifyInstance } from 'fastify';
import { DEFAULT_TENANT, safeId, withCallContext, type CallContext } from './context.ts';
import type { Lifecycle } from './health.ts';
import { logRequest } from './logging.ts';
import type { RequestRecorder } from './metrics.ts';
import { endRequestSpan, startRequestSpan } from './tracing.ts';

export interface RequestHooks {
  serviceName: string;
  lifecycle: Lifecycle;
  recordRequest: RequestRecorder;
}

/** The route's config, kept from arrival to answer: Fastify builds `routeOptions` anew on each read. */
const ROUTE = Symbol('rds.route');
type WithRoute = { [ROUTE]: FastifyContextConfig & { url?: string } };

/**
 * The two hooks every request passes, one on arrival and one once answered, each serving every
 * concern of the kit, because each hook Fastify runs costs every request (bench/kit-overhead).
 *
 * On arrival: the call context (tenant, request id), the span, and the context the rest of the
 * request runs in, so that log lines, problems and outbound calls find both. Answered: the span
 * ends, metrics count the request, the access log writes its line.
 */
export function registerRequestHooks(app: FastifyInstance, hooks: RequestHooks): void {
  app.decorateRequest('rds', null as unknown as CallContext);
  app.decorateRequest(ROUTE, null);
  app.addHook('onRequest', (request, reply, done) => {
    const config = request.routeOptions.config;
    (request as unknown as WithRoute)[ROUTE] = config;
    const call: CallContext = {
      tenant: safeId(request.headers['x-tenant']) ?? DEFAULT_TENANT,
      requestId: request.id,
    };
    request.rds = call;
    reply.header('x-request-id', request.id);
    // Once shutting down, keep-alive connections close after their response, so none outlives close().
    if (hooks.lifecycle.phase === 'stopping') reply.header('connection', 'close');
    // Probes and scrapes are not traced: they would drown the traces that matter.
    if (config.infrastructure) return done();
    const span = startRequestSpan(request, config.url ?? 'unmatched', hooks.serviceName);
    context.with(withCallContext(span, call), done);
  });
  app.addHook('onResponse', (request, reply, done) => {
    // A request refused before routing never passed the arrival hook.
    const config = (request as unknown as WithRoute)[ROUTE] ?? request.routeOptions.config;
    // Unmatched URLs share one label value, so that scanners cannot blow up the series count.
    const route = config.url ?? 'unmatched';
    endRequestSpan(request, reply.statusCode);
    hooks.recordRequest(request.method, route, reply.statusCode, reply.elapsedTime);
    if (!config.infrastructure) logRequest(request, reply);
    // A request that arrived before shutting down leaves its connection open: close it once idle.
    if (hooks.lifecycle.phase === 'stopping') setImmediate(closeIdle, request.server.server);
    done();
  });
}

function closeIdle(server: Server): void {
  server.closeIdleConnections();
}
