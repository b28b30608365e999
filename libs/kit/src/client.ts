import { Agent, request as undiciRequest, type Dispatcher } from 'undici';
import { currentContext, newRequestId, type CallContext } from './context.ts';
import { ProblemError, UpstreamError, type Problem } from './problems.ts';
import { isNetworkFailure, retry, type RetryPolicy } from './retry.ts';
import type { TokenRequest } from './auth.ts';

type Method = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'OPTIONS';
const IDEMPOTENT = new Set<Method>(['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS']);
const RETRY_STATUSES = new Set([429, 502, 503, 504]);

export interface ClientOptions {
  /** The upstream's name, for problems and logs: `token-storage`, `zenodo`. */
  name: string;
  baseUrl: string;
  /** Signs a service token per call; for calls between RDS services. */
  serviceToken?: { sign: (request: TokenRequest) => string; issuer: string; audience: string };
  headers?: Record<string, string>;
  /** Time to the response headers, and between body chunks. */
  timeoutMs?: number;
  retry?: Partial<RetryPolicy>;
  /** Called once after a 401; return true when it refreshed the credentials and the call should be repeated. */
  reauthenticate?: () => Promise<boolean>;
  dispatcher?: Dispatcher;
}

export interface CallOptions {
  method?: Method;
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  /** A JSON value, or a raw body (string, Buffer, stream) with its content type in `headers`. */
  json?: unknown;
  body?: Dispatcher.DispatchOptions['body'];
  headers?: Record<string, string>;
  /** Mark a POST as safe to repeat (it carries its own idempotency key). */
  idempotent?: boolean;
  /** Defaults to the context of the request or job being handled. */
  context?: CallContext;
  signal?: AbortSignal;
  /** This call's time to the response headers and between body chunks, 0 for none (a stream of events). */
  timeoutMs?: number;
  /** This call's retries, where they differ from the client's. */
  retry?: Partial<RetryPolicy>;
}

export interface Response {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Dispatcher.ResponseData['body'];
}

/** A successful answer of another RDS service, its JSON body parsed (none for 204 and HEAD). */
export interface Relayed<T> {
  status: number;
  headers: Response['headers'];
  body: T | undefined;
}

const DEFAULT_RETRY: RetryPolicy = { attempts: 4, baseDelayMs: 200, maxDelayMs: 10_000 };

/**
 * The kit's outbound HTTP client: timeouts; retries with backoff and jitter for idempotent
 * calls, honouring `Retry-After`; one re-authentication on 401; tenant, request id, trace
 * context and the service token on every call.
 */
export class HttpClient {
  private readonly options: ClientOptions;
  private readonly retry: RetryPolicy;
  private readonly dispatcher: Dispatcher;
  private readonly ownsDispatcher: boolean;

  constructor(options: ClientOptions) {
    this.options = options;
    this.retry = { ...DEFAULT_RETRY, ...options.retry };
    const timeout = options.timeoutMs ?? 30_000;
    this.ownsDispatcher = !options.dispatcher;
    this.dispatcher =
      options.dispatcher ??
      new Agent({
        headersTimeout: timeout,
        bodyTimeout: timeout,
        connectTimeout: Math.min(timeout, 10_000),
      });
  }

  /** Sends a call and returns the response as it is, whatever its status. */
  async request(call: CallOptions): Promise<Response> {
    const method = call.method ?? 'GET';
    const replayable =
      call.body === undefined || typeof call.body === 'string' || Buffer.isBuffer(call.body);
    const retryable = replayable && (IDEMPOTENT.has(method) || call.idempotent === true);
    const policy = { ...this.retry, ...call.retry, ...(retryable ? {} : { attempts: 1 }) };
    const response = await this.sendRetried(method, call, policy);
    if (response.status !== 401 || !this.options.reauthenticate || !replayable) return response;
    if (!(await this.options.reauthenticate())) return response;
    await response.body.dump();
    return this.sendRetried(method, call, policy);
  }

  /** Sends a call and parses a JSON answer; any status outside 2xx becomes an {@link UpstreamError}. */
  async json<T>(call: CallOptions): Promise<T> {
    const response = await this.request(call);
    if (response.status < 200 || response.status > 299) {
      await response.body.dump();
      throw new UpstreamError(this.options.name, response.status);
    }
    if (response.status === 204) return undefined as T;
    try {
      return (await response.body.json()) as T;
    } catch {
      throw new UpstreamError(this.options.name, response.status, 'answer is not JSON');
    }
  }

  /**
   * Sends a call to another RDS service that acts for the same user, and returns its answer.
   * A problem it answers with in the 4xx range (not found, conflict, precondition failed…) becomes
   * the same problem of this service, rebuilt from its members, so that a use case hands the user
   * the explanation of the service that knows. A 401 (this service's own token refused) and any
   * 5xx stay {@link UpstreamError}s, as with {@link json}.
   */
  async relay<T>(call: CallOptions): Promise<Relayed<T>> {
    const response = await this.request(call);
    if (response.status < 200 || response.status > 299) throw await this.problemOf(response);
    if (response.status === 204 || call.method === 'HEAD') {
      await response.body.dump();
      return { status: response.status, headers: response.headers, body: undefined };
    }
    try {
      return {
        status: response.status,
        headers: response.headers,
        body: (await response.body.json()) as T,
      };
    } catch {
      throw new UpstreamError(this.options.name, response.status, 'answer is not JSON');
    }
  }

  async close(): Promise<void> {
    if (this.ownsDispatcher) await this.dispatcher.close();
  }

  private async problemOf(response: Response): Promise<ProblemError> {
    const { status } = response;
    // A 401 refused this service's own token; a 5xx is the upstream's own failure.
    if (status < 400 || status > 499 || status === 401) {
      await response.body.dump();
      return new UpstreamError(this.options.name, status);
    }
    const problem = (await response.body.json().catch(() => ({}))) as Partial<Problem>;
    const { detail, messageKey, type, args, errors } = problem;
    if (typeof detail !== 'string' || typeof messageKey !== 'string')
      return new UpstreamError(this.options.name, status);
    return new ProblemError(status, {
      detail,
      messageKey,
      ...(type ? { type } : {}),
      ...(args ? { args } : {}),
      ...(errors ? { errors } : {}),
    });
  }

  /** Sends a call, again after a network failure or an answer that asks to wait. */
  private async sendRetried(method: Method, call: CallOptions, policy: RetryPolicy) {
    try {
      return await retry(() => this.send(method, call), policy, {
        signal: call.signal,
        isTransient: isNetworkFailure,
        isTransientAnswer: (response) => RETRY_STATUSES.has(response.status),
        onRetry: ({ answer }) => answer?.body.dump(),
      });
    } catch (error) {
      if (call.signal?.aborted) throw error;
      const code = (error as { code?: string }).code;
      throw new UpstreamError(this.options.name, undefined, code || 'network error');
    }
  }

  private async send(method: Method, call: CallOptions): Promise<Response> {
    const context = call.context ?? currentContext();
    const token = this.options.serviceToken;
    // Context data is for RDS services; an outside service (a provider, a repository) learns
    // nothing about tenants or request ids.
    const headers: Record<string, string> = {
      ...this.options.headers,
      ...(token
        ? {
            'x-request-id': context?.requestId ?? newRequestId(),
            ...(context?.tenant ? { 'x-tenant': context.tenant } : {}),
          }
        : {}),
      ...call.headers,
    };
    if (token) {
      headers.authorization = `Bearer ${token.sign({ issuer: token.issuer, audience: token.audience, user: context?.user, tenant: context?.tenant })}`;
    }
    let body = call.body;
    if (call.json !== undefined) {
      body = JSON.stringify(call.json);
      headers['content-type'] = 'application/json';
    }
    // An empty path is the base URL itself (a token endpoint, say), not the folder around it.
    const url = call.path
      ? new URL(call.path.replace(/^\//, ''), this.options.baseUrl.replace(/\/?$/, '/'))
      : new URL(this.options.baseUrl);
    for (const [key, value] of Object.entries(call.query ?? {})) {
      if (value !== undefined) url.searchParams.set(key, String(value));
    }
    const response = await undiciRequest(url, {
      method,
      headers,
      body,
      dispatcher: this.dispatcher,
      ...(call.signal ? { signal: call.signal } : {}),
      ...(call.timeoutMs === undefined
        ? {}
        : { headersTimeout: call.timeoutMs, bodyTimeout: call.timeoutMs }),
    });
    return { status: response.statusCode, headers: response.headers, body: response.body };
  }
}
