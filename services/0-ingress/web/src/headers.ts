import type { FastifyInstance, FastifyPluginAsync, FastifyRequest } from 'fastify';
import { ProblemError } from '@rds/kit';
import { sameText } from './session.ts';

/** Answers that are not pages load nothing and are framed nowhere. */
const ANSWER_POLICY = "default-src 'none'; frame-ancestors 'none'";
/** The API reference (Swagger UI): its own files, and the inline styles it sets as it renders. */
const DOCS_POLICY =
  "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/** What a user's session reads or changes: never kept by a browser's or a proxy's cache. */
const PER_USER = /^\/(api|auth|connect)\//;

/** The kit's routes that tell an operator about the service, not a user about anything. */
const MONITORING = new Set(['/metrics', '/openapi.json', '/docs', '/docs/assets/:name']);

/** Every answer's security headers (the UI page at `/` sets its own policy). */
async function securityHeaders(app: FastifyInstance): Promise<void> {
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'same-origin');
    if (!reply.hasHeader('content-security-policy')) {
      const docs = request.routeOptions.url === '/docs';
      reply.header('content-security-policy', docs ? DOCS_POLICY : ANSWER_POLICY);
    }
    if (PER_USER.test(request.url)) reply.header('cache-control', 'no-store');
  });
}

/**
 * Metrics, the contract and the API reference are the operator's: on web, the one public
 * listener, they need `Authorization: Bearer <RDS_WEB_MONITORING_TOKEN>`, and without that setting
 * they are not served at all (404, as for any unknown path).
 */
function monitoringGate(token: string | undefined) {
  return async (app: FastifyInstance): Promise<void> => {
    app.addHook('onRequest', async (request: FastifyRequest) => {
      if (!MONITORING.has(request.routeOptions.url ?? '')) return;
      if (!token) {
        throw new ProblemError(404, {
          detail: `There is nothing at ${request.url.split('?')[0]!.slice(0, 200)}.`,
          messageKey: 'request.notFound',
        });
      }
      const sent = request.headers.authorization ?? '';
      if (!sameText(sent, `Bearer ${token}`)) {
        throw new ProblemError(401, {
          detail: 'This is for operators: send Authorization: Bearer with web’s monitoring token.',
          messageKey: 'auth.operatorOnly',
          headers: { 'www-authenticate': 'Bearer realm="rds-monitoring"' },
        });
      }
    });
  };
}

/** Not encapsulated: the hooks reach every route, the kit's too. */
const everywhere = (plugin: (app: FastifyInstance) => Promise<void>): FastifyPluginAsync =>
  Object.assign(plugin, { [Symbol.for('skip-override')]: true });

export const headersPlugin = (): FastifyPluginAsync => everywhere(securityHeaders);
export const monitoringPlugin = (token: string | undefined): FastifyPluginAsync =>
  everywhere(monitoringGate(token));
