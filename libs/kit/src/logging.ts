import type { FastifyReply, FastifyRequest } from 'fastify';
import { currentContext } from './context.ts';
import type { Logger, LoggerOptions } from 'pino';
import { traceLogFields } from './tracing.ts';

/** Anything that may hold a secret is censored wherever it appears in a logged object. */
const SECRET_KEYS = new Set(
  [
    'authorization',
    'cookie',
    'set-cookie',
    'password',
    'client_secret',
    'clientSecret',
    'access_token',
    'refresh_token',
    'token',
    'secret',
    'apiToken',
    'code_verifier',
    'RDS_SERVICE_SECRET',
    'RDS_ENCRYPTION_KEY',
  ].map((key) => key.toLowerCase()),
);

/**
 * Censors secrets in what a log line is about to write. It runs per written line, not per request:
 * pino's wildcard redaction would be set up again for every request's child logger.
 */
export function censor(value: unknown, depth = 0): unknown {
  if (depth > 8 || value === null || typeof value !== 'object') return value;
  if (value instanceof Error)
    return { type: value.name, message: value.message, stack: value.stack };
  if (Array.isArray(value)) return value.map((item) => censor(item, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    out[key] = SECRET_KEYS.has(key.toLowerCase()) ? '[redacted]' : censor(item, depth + 1);
  }
  return out;
}

export function loggerOptions(serviceName: string, level: string): LoggerOptions {
  return {
    level,
    base: { service: serviceName },
    formatters: { log: (object) => censor(object) as Record<string, unknown> },
    mixin: contextLogFields,
  };
}

/**
 * Every line written while a request or job is handled names its request and trace. They come
 * from the active context when a line is written, not from a child logger per request, which
 * would cost every request whether it logs or not.
 */
function contextLogFields(): Record<string, string> {
  const requestId = currentContext()?.requestId;
  return requestId ? { requestId, ...traceLogFields() } : traceLogFields();
}

/** The access-log line of an answered request. */
export function logRequest(request: FastifyRequest, reply: FastifyReply): void {
  if (!(request.log as Logger).isLevelEnabled('info')) return;
  request.log.info(
    {
      requestId: request.id,
      method: request.method,
      path: request.url.split('?')[0],
      status: reply.statusCode,
      ms: Math.round(reply.elapsedTime),
    },
    'request completed',
  );
}
