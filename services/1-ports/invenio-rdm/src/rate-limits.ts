import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';

type Headers = Record<string, string | string[] | undefined>;

interface Window {
  /** Infinity until the repository names a limit. */
  limit: number;
  /** Calls counted against the window: as the repository reported, or let through since. */
  used: number;
  /** Calls let through and not answered yet; they may count in the next window. */
  inFlight: number;
  /** Epoch milliseconds; assumed, until the repository reports on this window. */
  resetAt: number;
  confirmed: boolean;
}

/** How often a caller looks again while a new window waits for its first report. */
const RECHECK_MS = 50;

const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

/**
 * Paces calls by what the repository says of a token's rate limit (`X-RateLimit-Limit`,
 * `-Remaining`, `-Reset`): a call that would be refused waits for the next window instead. A
 * call refused with 429 can be repeated, but a streamed upload cannot, so that is where this
 * matters most. Shared by all requests of the process, as the limit is per token; a repository
 * that sends no such headers is not paced.
 */
export class RateLimitGate {
  private readonly windows = new Map<string, Window>();
  private readonly longestWaitMs: number;

  constructor(longestWaitMs: number) {
    this.longestWaitMs = longestWaitMs;
  }

  /** Tokens are kept hashed: this map outlives the requests that used them. */
  static keyOf(token: string): string {
    return createHash('sha256').update(token).digest('base64url');
  }

  /** Waits until a call may go; every `pass` is followed by one `settle`. */
  async pass(key: string): Promise<void> {
    for (;;) {
      const window = this.windowOf(key);
      const time = Date.now();
      if (time >= window.resetAt) {
        // Its end is known once the repository answers a call made in it.
        Object.assign(window, {
          used: window.inFlight,
          resetAt: time + this.longestWaitMs,
          confirmed: false,
        });
      }
      // A wait longer than a caller should be held is left to the repository to refuse.
      if (window.used < window.limit || window.resetAt - time > this.longestWaitMs) {
        window.used += 1;
        window.inFlight += 1;
        return;
      }
      await sleep(window.confirmed ? window.resetAt - time : RECHECK_MS);
    }
  }

  /** A call has been answered (with the answer's headers) or has failed (without). */
  settle(key: string, headers?: Headers): void {
    const window = this.windows.get(key);
    if (!window) return;
    window.inFlight = Math.max(0, window.inFlight - 1);
    const limit = Number(first(headers?.['x-ratelimit-limit']));
    const remaining = Number(first(headers?.['x-ratelimit-remaining']));
    const resetAt = Number(first(headers?.['x-ratelimit-reset'])) * 1000;
    if (![limit, remaining, resetAt].every(Number.isFinite) || resetAt <= Date.now()) {
      if (window.limit === Infinity && window.inFlight === 0) this.windows.delete(key);
      return;
    }
    const reported = limit - remaining;
    // In the window this gate counts, calls let through but not yet counted there are on their
    // way: the larger count holds. Another window is the repository's to tell (it began earlier
    // than expected, or the limit changed): the calls on their way may count in it.
    const sameWindow = !window.confirmed || resetAt === window.resetAt;
    window.used = Math.max(reported, sameWindow ? window.used : window.inFlight);
    Object.assign(window, { limit, resetAt, confirmed: true });
    if (this.windows.size > 1000) this.forgetIdle();
  }

  private windowOf(key: string): Window {
    let window = this.windows.get(key);
    if (!window) {
      window = { limit: Infinity, used: 0, inFlight: 0, resetAt: Infinity, confirmed: false };
      this.windows.set(key, window);
    }
    return window;
  }

  private forgetIdle(): void {
    const time = Date.now();
    for (const [key, window] of this.windows) {
      if (window.inFlight === 0 && window.resetAt <= time) this.windows.delete(key);
    }
  }
}
