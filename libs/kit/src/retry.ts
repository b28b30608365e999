import { setTimeout as sleep } from 'node:timers/promises';

/** How often a failed call is tried, and how long apart. */
export interface RetryPolicy {
  /** Attempts in all, the first included; `Infinity` tries until it succeeds or fails for good. */
  attempts: number;
  /** The backoff after the first failure; doubled after each one. */
  baseDelayMs: number;
  /** No single wait is longer, whatever `Retry-After` asks. */
  maxDelayMs: number;
  /**
   * Full jitter, unless false: a wait anywhere up to the backoff, so that callers that failed
   * together do not come back together.
   */
  jitter?: boolean;
}

/** What failed an attempt: a thrown error, or an answer that is itself a failure (a 503). */
export type Failure<T> = { error: unknown; answer?: undefined } | { answer: T; error?: undefined };

export interface RetryOptions<T> {
  /** Once aborted, a failure is final and a wait ends at once, with the abort. */
  signal?: AbortSignal | undefined;
  /** Whether an error is worth another attempt; without this, none is. */
  isTransient?: (error: unknown) => boolean;
  /** Whether an answer is a failure worth another attempt; the last attempt's is returned as it is. */
  isTransientAnswer?: (answer: T) => boolean;
  /** Before each wait, with the attempt that failed: to log, or to let go of a failed answer. */
  onRetry?: (failure: Failure<T>, wait: { attempt: number; delayMs: number }) => unknown;
}

/**
 * Makes `attempt` until it succeeds, fails for good, or the policy's attempts are spent; then
 * its answer or its last error is the outcome. Between attempts it waits for the backoff, or
 * for as long as the failure asks: an error's `retryAfterMs` (an `UpstreamError` has one), or
 * an HTTP answer's `Retry-After`.
 */
export async function retry<T>(
  attempt: (attempt: number) => Promise<T>,
  policy: RetryPolicy,
  options: RetryOptions<T> = {},
): Promise<T> {
  const { signal, isTransient, isTransientAnswer, onRetry } = options;
  for (let n = 1; ; n++) {
    let failure: Failure<T>;
    try {
      const answer = await attempt(n);
      if (n >= policy.attempts || !isTransientAnswer?.(answer)) return answer;
      failure = { answer };
    } catch (error) {
      // What fails once the call is aborted fails for the abort: trying again is no use.
      if (signal?.aborted || n >= policy.attempts || !isTransient?.(error)) throw error;
      failure = { error };
    }
    const delayMs = backoffDelay(policy, n, retryAfterOf(failure));
    await onRetry?.(failure, { attempt: n, delayMs });
    await sleep(delayMs, undefined, { signal });
  }
}

/** The wait after the failed attempt `attempt`: the one asked for, or the backoff; never above the maximum. */
export function backoffDelay(
  policy: Omit<RetryPolicy, 'attempts'>,
  attempt: number,
  askedMs?: number,
): number {
  const backoff = policy.baseDelayMs * 2 ** (attempt - 1);
  const delay = askedMs ?? (policy.jitter === false ? backoff : Math.random() * backoff);
  return Math.min(delay, policy.maxDelayMs);
}

function retryAfterOf({ error, answer }: Failure<unknown>): number | undefined {
  const asked = (error as { retryAfterMs?: unknown } | undefined)?.retryAfterMs;
  if (typeof asked === 'number') return asked;
  type Answer = { headers?: Record<string, string | string[] | undefined> } | undefined;
  return parseRetryAfter((answer as Answer)?.headers?.['retry-after']);
}

/** A `Retry-After` header, as seconds or an HTTP date, in milliseconds. */
export function parseRetryAfter(header: string | string[] | undefined): number | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

/** A connection that could not be made, or broke: another attempt may find it working. */
const NETWORK_FAILURES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);

/** Whether an error is a network failure (a Node or undici error code), not an answer. */
export function isNetworkFailure(error: unknown): boolean {
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' && NETWORK_FAILURES.has(code);
}
