import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
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

/** What the thrower of an {@link UpstreamError} knows better than its status. */
export interface UpstreamErrorOptions {
  /** The failure in words for the user, instead of the upstream's name and status. */
  detail?: string;
  transient?: boolean;
  retryAfterMs?: number;
}

/**
 * An upstream service failed (the apikit BackendError idea): the caller sees a problem of this
 * service naming the upstream and its status, never the upstream's body.
 */
export class UpstreamError extends ProblemError {
  readonly upstreamStatus: number | undefined;
  /** Worth another try: no answer, a 5xx or a 429, unless the thrower knows better. */
  readonly transient: boolean;
  /** The wait the upstream asked for (`Retry-After`); `retry` honours it. */
  readonly retryAfterMs: number | undefined;

  constructor(
    upstream: string,
    upstreamStatus: number | undefined,
    reason?: string,
    options: UpstreamErrorOptions = {},
  ) {
    const what = upstreamStatus
      ? `answered ${upstreamStatus}`
      : `could not be reached${reason ? ` (${reason})` : ''}`;
    super(upstreamStatus === 504 || !upstreamStatus ? 504 : 502, {
      detail: options.detail ?? `The upstream service ${upstream} ${what}.`,
      messageKey: 'upstream.failed',
      args: { upstream, ...(upstreamStatus ? { upstreamStatus } : {}) },
    });
    this.upstreamStatus = upstreamStatus;
    this.transient =
      options.transient ?? (!upstreamStatus || upstreamStatus === 429 || upstreamStatus >= 500);
    this.retryAfterMs = options.retryAfterMs;
  }
}

/**
 * A problem lists at most this many errors: a body of 100,000 unknown properties was answered
 * with a 6 MB problem naming each of them.
 */
export const MAX_LISTED_ERRORS = 20;
const MAX_ECHO = 100;

/** Text from the request as a problem may quote it: never more than a hundred characters. */
export function shortened(text: string, max = MAX_ECHO): string {
  return text.length <= max ? text : `${text.slice(0, max)}…`;
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

/**
 * A problem is data: a browser that opens one must neither guess another type nor load anything.
 * Also on the answers made before routing, which no service's own hooks see.
 */
const PROBLEM_HEADERS = {
  'x-content-type-options': 'nosniff',
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
};

export function sendProblem(reply: FastifyReply, status: number, init: ProblemInit): FastifyReply {
  reply.headers(PROBLEM_HEADERS);
  for (const [name, value] of Object.entries(init.headers ?? {})) reply.header(name, value);
  return reply
    .code(status)
    .type(PROBLEM_CONTENT_TYPE)
    .send(problemBody(status, init, instanceOf(reply.request.url)));
}

/** The path the problem occurred at: without the query, which may be long or hold a secret. */
function instanceOf(url: string): string {
  return shortened(url.split('?', 1)[0]!, 4 * MAX_ECHO);
}

const PART_NAMES: Record<string, string> = {
  body: '',
  querystring: '/query',
  params: '/path',
  headers: '/header',
};

/** Ajv errors become `{detail, pointer}` with JSON Pointers into the request; the first few. */
export function fieldErrors(errors: ErrorObject[], part: string | undefined): FieldError[] {
  const prefix = PART_NAMES[part ?? 'body'] ?? '';
  return errors.slice(0, MAX_LISTED_ERRORS).map((e) => {
    const named =
      (e.params as { missingProperty?: string }).missingProperty ??
      (e.params as { additionalProperty?: string }).additionalProperty;
    const extra = named === undefined ? undefined : shortened(named);
    const path = shortened(
      `${prefix}${e.instancePath}${extra ? `/${escapePointer(extra)}` : ''}`,
      4 * MAX_ECHO,
    );
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
    const count = error.validation.length;
    const listed =
      count > MAX_LISTED_ERRORS
        ? ` (the first ${MAX_LISTED_ERRORS} of ${count} errors are listed)`
        : '';
    return [
      400,
      {
        detail: `The request is not valid${listed}.`,
        messageKey: 'request.invalid',
        ...(listed ? { args: { errorCount: count } } : {}),
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
          detail: `Content type '${shortened(request.headers['content-type'] ?? '')}' is not accepted here.`,
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
  app.setErrorHandler((error: FastifyError | ProblemError, request, reply) => {
    if (error instanceof ProblemError) {
      if (error.statusCode >= 500) request.log.warn({ err: error }, 'request failed upstream');
      return sendProblem(reply, error.statusCode, error.init);
    }
    const [status, init] = problemForFastifyError(error, request);
    if (status >= 500) request.log.error({ err: error }, 'request failed');
    return sendProblem(reply, status, init);
  });

  app.setNotFoundHandler((request, reply) => {
    const allowed = allowedMethods(request.url);
    // A route for this method that found nothing (a static file that is not there) is a 404.
    const method = request.method === 'HEAD' ? 'GET' : request.method;
    if (allowed.length > 0 && !allowed.includes(method)) {
      return sendProblem(reply, 405, {
        detail: `Method ${request.method} is not allowed here; allowed: ${allowed.join(', ')}.`,
        messageKey: 'request.methodNotAllowed',
        headers: { allow: allowed.join(', ') },
      });
    }
    return sendProblem(reply, 404, {
      detail: `There is nothing at ${request.method} ${instanceOf(request.url)}.`,
      messageKey: 'request.notFound',
    });
  });
}

/**
 * Fastify's errors found while routing, before any hook (its `frameworkErrors` option): a path
 * that is not percent-encoded properly, or a path parameter over its 100 characters.
 */
export function frameworkProblem(
  error: FastifyError,
  _request: FastifyRequest,
  reply: FastifyReply,
) {
  switch (error.code) {
    case 'FST_ERR_BAD_URL':
      return sendProblem(reply, 400, {
        detail: 'The address is not valid: part of it is not percent-encoded properly.',
        messageKey: 'request.badUrl',
      });
    case 'FST_ERR_MAX_PARAM_LENGTH':
      return sendProblem(reply, 414, {
        detail: 'Part of the address is longer than 100 characters.',
        messageKey: 'request.uriTooLong',
      });
  }
  reply.log.error({ err: error }, 'request failed while routing');
  return sendProblem(reply, 500, {
    detail: 'The service failed to handle this request.',
    messageKey: 'internal',
  });
}

/** What Node's HTTP parser refuses before Fastify sees a request (its `clientErrorHandler` option). */
const CLIENT_ERRORS: Record<string, [number, ProblemInit]> = {
  HPE_HEADER_OVERFLOW: [
    431,
    {
      detail: 'The request headers are larger than 16 KiB.',
      messageKey: 'request.headersTooLarge',
    },
  ],
  ERR_HTTP_REQUEST_TIMEOUT: [
    408,
    { detail: 'The request did not arrive in time.', messageKey: 'request.timeout' },
  ],
};
const NOT_HTTP: [number, ProblemInit] = [
  400,
  { detail: 'The request is not valid HTTP/1.1.', messageKey: 'request.malformed' },
];

export function clientErrorProblem(error: NodeJS.ErrnoException, socket: Socket): void {
  // The connection is gone: nobody to answer.
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  if (socket.writable) {
    const [status, init] = CLIENT_ERRORS[error.code ?? ''] ?? NOT_HTTP;
    const body = JSON.stringify(problemBody(status, init, '/'));
    const headers = Object.entries({
      'content-type': PROBLEM_CONTENT_TYPE,
      'content-length': Buffer.byteLength(body),
      connection: 'close',
      ...PROBLEM_HEADERS,
    }).map(([name, value]) => `${name}: ${value}\r\n`);
    socket.write(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\n${headers.join('')}\r\n${body}`);
  }
  socket.destroy(error);
}
