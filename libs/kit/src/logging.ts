import type { FastifyInstance } from 'fastify';
import type { LoggerOptions } from 'pino';
import { traceLogFields } from './tracing.ts';

/** Anything that may hold a secret is censored wherever it appears in a logged object. */
const SECRET_KEYS = [
  'authorization',
  'cookie',
  'set-cookie',
  'password',
  'client_secret',
  'access_token',
  'refresh_token',
  'token',
  'secret',
  'apiToken',
  'RDS_SERVICE_SECRET',
  'RDS_ENCRYPTION_KEY',
];
const REDACT_PATHS = SECRET_KEYS.flatMap((key) => [
  `${key}`,
  `*.${key}`,
  `*.*.${key}`,
  `req.headers["${key}"]`,
]);

export function loggerOptions(serviceName: string, level: string): LoggerOptions {
  return {
    level,
    base: { service: serviceName },
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    mixin: traceLogFields,
  };
}

/** One access-log line per request, written when the response is sent. */
export function registerAccessLog(app: FastifyInstance): void {
  app.addHook('onResponse', (request, reply, done) => {
    if (!request.routeOptions.config?.infrastructure) {
      request.log.info(
        {
          method: request.method,
          path: request.url.split('?')[0],
          status: reply.statusCode,
          ms: Math.round(reply.elapsedTime),
        },
        'request completed',
      );
    }
    done();
  });
}
