import { setTimeout as sleep } from 'node:timers/promises';
import {
  parseRetryAfter,
  ProblemError,
  UpstreamError,
  type CallOptions,
  type HttpClient,
  type Response,
} from '@rds/kit';
import type { UserToken, UserTokens } from '@rds/ports';
import { problems } from './problems.ts';
import { RateLimitGate } from './rate-limits.ts';

/** What the handlers share to reach the repository. */
export interface Upstream {
  servicename: string;
  /** What users call the instance, e.g. Zenodo. */
  displayName: string;
  http: HttpClient;
  tokens: UserTokens;
  gate: RateLimitGate;
}

export type Headers = Record<string, string | string[] | undefined>;

/** An answer of the repository with its JSON read; for the port to judge, never to pass on. */
export interface Answer<T> {
  status: number;
  headers: Headers;
  data: T | undefined;
}

/** A call is made this often in all when it meets a rate limit, or fails where repeating is harmless. */
const ATTEMPTS = 6;
const IDEMPOTENT = new Set(['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS']);
const RETRY_STATUSES = new Set([502, 503, 504]);
/** No single wait for a rate limit is longer (Zenodo's windows are a minute). */
export const LONGEST_WAIT_MS = 60_000;
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
 * and only when it does not (or after a 401) is the token renewed once and the call made again;
 * refused once more, the user must connect again. Retries are made here rather than by the
 * kit's client, so that each attempt passes the rate-limit gate: retries that ignored the limit
 * would use up the window a streamed upload, which cannot be repeated, is waiting for.
 */
export class InvenioSession {
  private readonly upstream: Upstream;
  private token: UserToken;
  private renewed = false;

  private constructor(upstream: Upstream, token: UserToken) {
    this.upstream = upstream;
    this.token = token;
  }

  static async open(upstream: Upstream): Promise<InvenioSession> {
    const token = await upstream.tokens.current();
    return new InvenioSession(upstream, token);
  }

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

  private async send(call: CallOptions): Promise<Response> {
    const idempotent = IDEMPOTENT.has(call.method ?? 'GET') || call.idempotent === true;
    for (let attempt = 1; ; attempt++) {
      const last = attempt >= ATTEMPTS || !replayable(call);
      let response: Response;
      try {
        response = await this.authorised(call);
      } catch (error) {
        const unreachable = error instanceof UpstreamError && error.upstreamStatus === undefined;
        if (!unreachable || !idempotent || last) throw error;
        await sleep(backoff(attempt));
        continue;
      }
      // A call refused for the rate limit did nothing, so it is repeated whatever it is.
      const again = response.status === 429 || (idempotent && RETRY_STATUSES.has(response.status));
      if (!again || last) return response;
      await response.body.dump();
      const asked = parseRetryAfter(first(response.headers['retry-after']));
      await sleep(Math.min(asked ?? backoff(attempt), LONGEST_WAIT_MS));
    }
  }

  private async authorised(call: CallOptions): Promise<Response> {
    const response = await this.attempt(call);
    if (!(await this.tokenRefused(response))) return response;
    if (this.renewed || !replayable(call)) throw this.reconnect();
    this.renewed = true;
    const rejected = this.token;
    // No fresh token (it cannot be refreshed, or the user removed the connection): the
    // repository's refusal is what the user reads.
    this.token = await this.upstream.tokens.afterRejection(rejected).catch((error: unknown) => {
      throw error instanceof ProblemError && error.init.messageKey === 'repository.reconnect'
        ? this.reconnect()
        : error;
    });
    const retried = await this.attempt(call);
    if (await this.tokenRefused(retried)) throw this.reconnect();
    return retried;
  }

  /** Whether the answer refuses the token itself; its body is spent when it does. */
  private async tokenRefused(response: Response): Promise<boolean> {
    if (response.status !== 401 && response.status !== 403) return false;
    let refused = response.status === 401;
    if (!refused) {
      const probe = await this.attempt(TOKEN_PROBE);
      await probe.body.dump();
      refused = probe.status === 401 || probe.status === 403;
    }
    // A refusal of the user (not of the token) is the caller's to read.
    if (refused) await response.body.dump();
    return refused;
  }

  private reconnect(): Error {
    return problems.reconnect(this.upstream.servicename, this.upstream.displayName, 'refused');
  }

  private async attempt(call: CallOptions): Promise<Response> {
    const secret = secretOf(this.token, this.upstream);
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

/** Exponential, with full jitter. */
function backoff(attempt: number): number {
  return Math.random() * 200 * 2 ** (attempt - 1);
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
