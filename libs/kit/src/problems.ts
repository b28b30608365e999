import { STATUS_CODES } from 'node:http';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ErrorObject } from 'ajv';
import { currentTraceId } from './tracing.ts';

/** One entry of a validation problem: what is wrong and where in the request. */
export interface FieldError {
  detail: string;
  pointer: string;
}

/** RFC 9457 problem details with the OpenWMS-style extensions every RDS service sends. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance: string;
  messageKey: string;
  args?: Record<string, unknown>;
  traceId?: string;
  errors?: FieldError[];
}

export interface ProblemInit {
  detail: string;
  /** Stable machine-readable key, e.g. `research.transition.refused`. */
  messageKey: string;
  args?: Record<string, unknown>;
  errors?: FieldError[];
  headers?: Record<string, string>;
  /** Problem type URI; `about:blank` when the status says it all. */
  type?: string;
}

/** Throw this from a handler to answer with a problem of the given status. */
export class ProblemError extends Error {
  readonly statusCode: number;
  readonly init: ProblemInit;

  constructor(status: number, init: ProblemInit) {
    super(init.detail);
    this.statusCode = status;
    this.init = init;
  }
}

/**
 * An upstream service failed (the apikit BackendError idea): the caller sees a problem of this
 * service naming the upstream and its status, never the upstream's body.
 */
export class UpstreamError extends ProblemError {
  readonly upstreamStatus: number | undefined;

  constructor(upstream: string, upstreamStatus: number | undefined, reason?: string) {
    const what = upstreamStatus
      ? `answered ${upstreamStatus}`
      : `could not be reached${reason ? ` (${reason})` : ''}`;
    super(upstreamStatus === 504 || !upstreamStatus ? 504 : 502, {
      detail: `The upstream service ${upstream} ${what}.`,
      messageKey: 'upstream.failed',
      args: { upstream, ...(upstreamStatus ? { upstreamStatus } : {}) },
    });
    this.upstreamStatus = upstreamStatus;
  }
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

export function problemBody(status: number, init: ProblemInit, instance: string): Problem {
  const traceId = currentTraceId();
  return {
    type: init.type ?? 'about:blank',
    title: STATUS_CODES[status] ?? 'Error',
    status,
    detail: init.detail,
    instance,
    messageKey: init.messageKey,
    ...(init.args ? { args: init.args } : {}),
    ...(traceId ? { traceId } : {}),
    ...(init.errors ? { errors: init.errors } : {}),
  };
}

export function sendProblem(reply: FastifyReply, status: number, init: ProblemInit): FastifyReply {
  for (const [name, value] of Object.entries(init.headers ?? {})) reply.header(name, value);
  return reply
    .code(status)
    .type(PROBLEM_CONTENT_TYPE)
    .send(problemBody(status, init, reply.request.url));
}

const PART_NAMES: Record<string, string> = {
  body: '',
  querystring: '/query',
  params: '/path',
  headers: '/header',
};

/** Ajv errors become `{detail, pointer}` with JSON Pointers into the request. */
export function fieldErrors(errors: ErrorObject[], part: string | undefined): FieldError[] {
  const prefix = PART_NAMES[part ?? 'body'] ?? '';
  return errors.map((e) => {
    const extra =
      (e.params as { missingProperty?: string }).missingProperty ??
      (e.params as { additionalProperty?: string }).additionalProperty;
    const path = `${prefix}${e.instancePath}${extra ? `/${escapePointer(extra)}` : ''}`;
    const detail =
      e.keyword === 'additionalProperties'
        ? `unknown property '${extra}'`
        : (e.message ?? 'is invalid');
    return { detail: `${path || '/'} ${detail}`, pointer: `#${path}` };
  });
}

function escapePointer(token: string): string {
  return token.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** Fastify's own errors, mapped to problems that say what is wrong without internals. */
function problemForFastifyError(
  error: FastifyError,
  request: FastifyRequest,
): [number, ProblemInit] {
  if (error.validation && error.validationContext) {
    return [
      400,
      {
        detail: 'The request is not valid.',
        messageKey: 'request.invalid',
        errors: fieldErrors(error.validation as ErrorObject[], error.validationContext),
      },
    ];
  }
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return [
        413,
        {
          detail: 'The request body is larger than this service accepts.',
          messageKey: 'request.tooLarge',
        },
      ];
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return [
        415,
        {
          detail: `Content type '${request.headers['content-type'] ?? ''}' is not accepted here.`,
          messageKey: 'request.unsupportedMediaType',
        },
      ];
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return [400, { detail: 'The JSON body is empty.', messageKey: 'request.malformed' }];
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return [400, { detail: 'The body is not valid JSON.', messageKey: 'request.malformed' }];
  }
  if (error instanceof SyntaxError) {
    return [400, { detail: 'The body is not valid JSON.', messageKey: 'request.malformed' }];
  }
  const status = error.statusCode ?? 500;
  if (status >= 400 && status < 500) {
    return [
      status,
      { detail: STATUS_CODES[status] ?? 'Bad request', messageKey: `request.${status}` },
    ];
  }
  return [500, { detail: 'The service failed to handle this request.', messageKey: 'internal' }];
}

/** The single error handler of every kit service: everything leaves as problem+json. */
export function registerProblemHandlers(
  app: FastifyInstance,
  allowedMethods: (url: string) => string[],
): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const cause = unwrapSecurityError(error);
    if (cause instanceof ProblemError) {
      if (cause.statusCode >= 500) request.log.warn({ err: cause }, 'request failed upstream');
      return sendProblem(reply, cause.statusCode, cause.init);
    }
    const [status, init] = problemForFastifyError(error, request);
    if (status >= 500) request.log.error({ err: error }, 'request failed');
    return sendProblem(reply, status, init);
  });

  app.setNotFoundHandler((request, reply) => {
    const allowed = allowedMethods(request.url);
    if (allowed.length > 0) {
      return sendProblem(reply, 405, {
        detail: `Method ${request.method} is not allowed here; allowed: ${allowed.join(', ')}.`,
        messageKey: 'request.methodNotAllowed',
        headers: { allow: allowed.join(', ') },
      });
    }
    return sendProblem(reply, 404, {
      detail: `There is no route ${request.method} ${request.url.split('?')[0]}.`,
      messageKey: 'request.notFound',
    });
  });
}

/** fastify-openapi-glue wraps the security handlers' errors; the first one says what happened. */
function unwrapSecurityError(error: FastifyError): unknown {
  const errors = (error as { errors?: unknown[] }).errors;
  if (error.name === 'Unauthorized' && Array.isArray(errors) && errors[0] instanceof ProblemError) {
    return errors[0];
  }
  return error;
}
