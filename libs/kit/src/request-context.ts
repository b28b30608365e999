import { context } from '@opentelemetry/api';
import type { FastifyInstance } from 'fastify';
import { DEFAULT_TENANT, safeId, withCallContext, type CallContext } from './context.ts';
import { endRequestSpan, startRequestSpan } from './tracing.ts';

/**
 * Every request runs in one context holding its span and its call context (tenant, request id,
 * later caller and user), so that log lines, problems and outbound calls find both.
 */
export function registerRequestContext(app: FastifyInstance, serviceName: string): void {
  app.decorateRequest('rds', null as unknown as CallContext);
  app.addHook('onRequest', (request, reply, done) => {
    const call: CallContext = {
      tenant: safeId(request.headers['x-tenant']) ?? DEFAULT_TENANT,
      requestId: request.id,
    };
    request.rds = call;
    reply.header('x-request-id', request.id);
    // Probes and scrapes are not traced: they would drown the traces that matter.
    if (request.routeOptions.config?.infrastructure) return done();
    context.with(withCallContext(startRequestSpan(request, serviceName), call), done);
  });
  app.addHook('onResponse', (request, reply, done) => {
    endRequestSpan(request, reply.statusCode);
    done();
  });
}
