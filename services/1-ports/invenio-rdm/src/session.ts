import {
  retry,
  UpstreamError,
  type CallOptions,
  type HttpClient,
  type Response,
  type RetryPolicy,
} from '@rds/kit';
import { REFUSED, type UserSession, type UserToken } from '@rds/ports';
import { problems } from './problems.ts';
import { RateLimitGate } from './rate-limits.ts';

/** What the handlers share to reach the repository. */
export interface Upstream {
  servicename: string;
  /** What users call the instance, e.g. Zenodo. */
  displayName: string;
  http: HttpClient;
  gate: RateLimitGate;
}

export type Headers = Record<string, string | string[] | undefined>;

/** An answer of the repository with its JSON read; for the port to judge, never to pass on. */
export interface Answer<T> {
  status: number;
  headers: Headers;
  data: T | undefined;
}

const IDEMPOTENT = new Set(['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS']);
const RETRY_STATUSES = new Set([502, 503, 504]);
/** No single wait for a rate limit is longer (Zenodo's windows are a minute). */
export const LONGEST_WAIT_MS = 60_000;
/** A call is made this often in all when it meets a rate limit, or fails where repeating is harmless. */
const RETRY: RetryPolicy = { attempts: 6, baseDelayMs: 200, maxDelayMs: LONGEST_WAIT_MS };
/**
 * A call any user with a working token may make (the user's own records, one of them): a token
 * refused here is one the repository no longer takes.
 */
const TOKEN_PROBE: CallOptions = { path: 'api/user/records', query: { size: '1' } };
/** Invenio's answers are small JSON documents; anything far larger is not one of them. */
const LARGEST_ANSWER = 4 * 1024 * 1024;

export const first = (value: string | string[] | undefined) =>
  Array.isArray(value) ? value[0] : value;

/**
 * One request's conversation with the repository as the acting user: the user's token from
 * token-storage on every call. InvenioRDM answers a token it no longer takes (expired, revoked)
 * with 403, as it answers a user without the permission (invenio-oauth2server makes the request
 * anonymous): after a 403 the port asks the repository whether the token still works at all,
 * and only when it does not (or after a 401) is the token refused: the user's session renews it
 * once and the call is made again; refused once more, the user must connect again. Retries are made here rather than by the
 * kit's client, so that each attempt passes the rate-limit gate: retries that ignored the limit
 * would use up the window a streamed upload, which cannot be repeated, is waiting for.
 */
export class InvenioSession {
  constructor(
    private readonly upstream: Upstream,
    private readonly user: UserSession,
  ) {}

  /** Sends a call and reads its answer, whatever the status but a final 401. */
  async call<T>(call: CallOptions): Promise<Answer<T>> {
    const response = await this.send(call);
    const text = await readBounded(response, this.upstream.servicename);
    let data: T | undefined;
    if (/json/.test(first(response.headers['content-type']) ?? '')) {
      try {
        data = JSON.parse(text) as T;
      } catch {
        // Judged by its status alone.
      }
    }
    return { status: response.status, headers: response.headers, data };
  }

  private send(call: CallOptions): Promise<Response> {
    const idempotent = IDEMPOTENT.has(call.method ?? 'GET') || call.idempotent === true;
    return retry(
      () => this.authorised(call),
      replayable(call) ? RETRY : { ...RETRY, attempts: 1 },
      {
        signal: call.signal,
        isTransient: (error) =>
          idempotent && error instanceof UpstreamError && error.upstreamStatus === undefined,
        // A call refused for the rate limit did nothing, so it is repeated whatever it is.
        isTransientAnswer: (response) =>
          response.status === 429 || (idempotent && RETRY_STATUSES.has(response.status)),
        onRetry: ({ answer }) => answer?.body.dump(),
      },
    );
  }

  private authorised(call: CallOptions): Promise<Response> {
    return this.user.send(async (token) => {
      const response = await this.attempt(call, token);
      return (await this.tokenRefused(response, token)) ? REFUSED : response;
    }, replayable(call));
  }

  /** Whether the answer refuses the token itself; its body is spent when it does. */
  private async tokenRefused(response: Response, token: UserToken): Promise<boolean> {
    if (response.status !== 401 && response.status !== 403) return false;
    let refused = response.status === 401;
    if (!refused) {
      const probe = await this.attempt(TOKEN_PROBE, token);
      await probe.body.dump();
      refused = probe.status === 401 || probe.status === 403;
    }
    // A refusal of the user (not of the token) is the caller's to read.
    if (refused) await response.body.dump();
    return refused;
  }

  private async attempt(call: CallOptions, token: UserToken): Promise<Response> {
    const secret = secretOf(token, this.upstream);
    const key = RateLimitGate.keyOf(secret);
    await this.upstream.gate.pass(key);
    let response: Response | undefined;
    try {
      response = await this.upstream.http.request({
        ...call,
        headers: { ...call.headers, authorization: `Bearer ${secret}` },
      });
      return response;
    } finally {
      this.upstream.gate.settle(key, response?.headers);
    }
  }
}

/** A personal access token is stored as credentials (its password), an OAuth2 one as such. */
function secretOf(token: UserToken, upstream: Upstream): string {
  const secret = token.kind === 'oauth2' ? token.access_token : token.password;
  if (!secret) throw problems.reconnect(upstream.servicename, upstream.displayName, 'missing');
  return secret;
}

function replayable(call: CallOptions): boolean {
  return call.body === undefined || typeof call.body === 'string' || Buffer.isBuffer(call.body);
}

async function readBounded(response: Response, servicename: string): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of response.body) {
    size += (chunk as Buffer).length;
    if (size > LARGEST_ANSWER) {
      response.body.destroy();
      throw new UpstreamError(servicename, response.status, 'answer too large');
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}
