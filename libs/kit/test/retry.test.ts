import { describe, expect, test } from 'vitest';
import { UpstreamError } from '../src/problems.ts';
import {
  backoffDelay,
  isNetworkFailure,
  parseRetryAfter,
  retry,
  type RetryPolicy,
} from '../src/retry.ts';

const quick: RetryPolicy = { attempts: 4, baseDelayMs: 1, maxDelayMs: 5 };
const reset = () => Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });

/** An attempt that fails with each of `failures` in turn, then answers with the attempt's number. */
function flaky(...failures: unknown[]) {
  const made: number[] = [];
  const attempt = async (n: number) => {
    made.push(n);
    if (failures.length > 0) throw failures.shift();
    return n;
  };
  return { attempt, made };
}

describe('retry', () => {
  test('tries again after a transient failure, and answers with the attempt that succeeded', async () => {
    const { attempt, made } = flaky(reset(), reset());
    expect(await retry(attempt, quick, { isTransient: isNetworkFailure })).toBe(3);
    expect(made).toEqual([1, 2, 3]);
  });

  test('gives up after its attempts, with the last failure', async () => {
    const last = new UpstreamError('zenodo', 503);
    const { attempt, made } = flaky(reset(), reset(), new UpstreamError('zenodo', 502), last);
    const outcome = retry(attempt, quick, {
      isTransient: (error) => isNetworkFailure(error) || error instanceof UpstreamError,
    });
    await expect(outcome).rejects.toBe(last);
    expect(made).toEqual([1, 2, 3, 4]);
  });

  test('a failure that is not transient is thrown at once', async () => {
    const refused = new UpstreamError('zenodo', 400);
    const { attempt, made } = flaky(refused);
    const outcome = retry(attempt, quick, {
      isTransient: (error) => (error as UpstreamError).transient,
    });
    await expect(outcome).rejects.toBe(refused);
    expect(made).toEqual([1]);
  });

  test('without a transient test, nothing is tried again', async () => {
    const { attempt, made } = flaky(reset());
    await expect(retry(attempt, quick)).rejects.toMatchObject({ code: 'ECONNRESET' });
    expect(made).toEqual([1]);
  });

  test('an answer that is a transient failure is tried again; the last one is the answer', async () => {
    let n = 0;
    const attempt = async () => ({ status: ++n < 3 ? 503 : 200 });
    const isTransientAnswer = (answer: { status: number }) => answer.status === 503;
    expect(await retry(attempt, quick, { isTransientAnswer })).toEqual({ status: 200 });
    n = 0;
    const once = await retry(attempt, { ...quick, attempts: 2 }, { isTransientAnswer });
    expect(once).toEqual({ status: 503 });
  });

  test('waits as long as the failure asks, but never longer than the maximum', async () => {
    const policy: RetryPolicy = { attempts: 2, baseDelayMs: 1, maxDelayMs: 300 };
    const asking = (retryAfterMs: number) =>
      flaky(new UpstreamError('zenodo', 429, undefined, { retryAfterMs })).attempt;
    const isTransient = () => true;
    const waited = async (retryAfterMs: number) => {
      const started = Date.now();
      await retry(asking(retryAfterMs), policy, { isTransient });
      return Date.now() - started;
    };
    expect(await waited(150)).toBeGreaterThanOrEqual(145);
    const capped = await waited(60_000);
    expect(capped).toBeGreaterThanOrEqual(295);
    expect(capped).toBeLessThan(1000);
  });

  test("an answer's Retry-After header is honoured", async () => {
    let n = 0;
    const attempt = async () => ({
      status: ++n === 1 ? 429 : 200,
      headers: { 'retry-after': '0.15' },
    });
    const waits: number[] = [];
    const started = Date.now();
    await retry(attempt, quick, {
      isTransientAnswer: (answer) => answer.status === 429,
      onRetry: (_, { delayMs }) => waits.push(delayMs),
    });
    // Capped at the policy's 5 ms.
    expect(waits).toEqual([5]);
    n = 0;
    await retry(
      attempt,
      { ...quick, maxDelayMs: 1000 },
      {
        isTransientAnswer: (answer) => answer.status === 429,
      },
    );
    expect(Date.now() - started).toBeGreaterThanOrEqual(145);
  });

  test('tells each retry: the failure, the attempt that failed and the wait', async () => {
    const first = reset();
    const told: unknown[] = [];
    await retry(
      flaky(first).attempt,
      { ...quick, jitter: false },
      {
        isTransient: isNetworkFailure,
        onRetry: (failure, wait) => told.push({ ...failure, ...wait }),
      },
    );
    expect(told).toEqual([{ error: first, attempt: 1, delayMs: 1 }]);
  });

  test('an abort ends the wait at once, and no attempt follows', async () => {
    const controller = new AbortController();
    const { attempt, made } = flaky(reset(), reset());
    const started = Date.now();
    const outcome = retry(
      attempt,
      { attempts: 5, baseDelayMs: 60_000, maxDelayMs: 60_000, jitter: false },
      { signal: controller.signal, isTransient: isNetworkFailure },
    );
    setTimeout(() => controller.abort(), 20);
    await expect(outcome).rejects.toMatchObject({ name: 'AbortError' });
    expect(Date.now() - started).toBeLessThan(1000);
    expect(made).toEqual([1]);
  });

  test('a failure once aborted is final, however transient it looks', async () => {
    const controller = new AbortController();
    const failure = reset();
    const attempt = async () => {
      controller.abort();
      throw failure;
    };
    const outcome = retry(attempt, quick, { signal: controller.signal, isTransient: () => true });
    await expect(outcome).rejects.toBe(failure);
  });
});

describe('backoff', () => {
  test('doubles from the base up to the maximum; with jitter, anywhere below', () => {
    const policy = { baseDelayMs: 100, maxDelayMs: 1000 };
    const exact = [1, 2, 3, 4, 5].map((n) => backoffDelay({ ...policy, jitter: false }, n));
    expect(exact).toEqual([100, 200, 400, 800, 1000]);
    for (let i = 0; i < 200; i++) {
      const jittered = backoffDelay(policy, 3);
      expect(jittered).toBeGreaterThanOrEqual(0);
      expect(jittered).toBeLessThan(400);
    }
    const spread = new Set(Array.from({ length: 20 }, () => backoffDelay(policy, 3)));
    expect(spread.size).toBeGreaterThan(1);
  });

  test('a wait asked for replaces the backoff, up to the maximum', () => {
    const policy = { baseDelayMs: 100, maxDelayMs: 1000 };
    expect(backoffDelay(policy, 1, 700)).toBe(700);
    expect(backoffDelay(policy, 1, 0)).toBe(0);
    expect(backoffDelay(policy, 1, 5000)).toBe(1000);
  });
});

test('Retry-After in seconds or as an HTTP date; anything else is no answer', () => {
  expect(parseRetryAfter('120')).toBe(120_000);
  expect(parseRetryAfter(['2', '9'])).toBe(2000);
  const inAMinute = parseRetryAfter(new Date(Date.now() + 60_000).toUTCString())!;
  expect(inAMinute).toBeGreaterThan(58_000);
  expect(inAMinute).toBeLessThanOrEqual(60_000);
  expect(parseRetryAfter(new Date(Date.now() - 60_000).toUTCString())).toBe(0);
  expect(parseRetryAfter('soon')).toBeUndefined();
  expect(parseRetryAfter(undefined)).toBeUndefined();
});

test('network failures are told by their code', () => {
  for (const code of ['ECONNRESET', 'ECONNREFUSED', 'UND_ERR_SOCKET', 'UND_ERR_BODY_TIMEOUT'])
    expect(isNetworkFailure(Object.assign(new Error(), { code }))).toBe(true);
  expect(isNetworkFailure(Object.assign(new Error(), { code: 'ENOENT' }))).toBe(false);
  expect(isNetworkFailure(new UpstreamError('zenodo', 503))).toBe(false);
  expect(isNetworkFailure(undefined)).toBe(false);
});

test('an upstream error is transient when unanswered, 429 or 5xx, unless its thrower knows better', () => {
  expect(new UpstreamError('zenodo', undefined).transient).toBe(true);
  expect(new UpstreamError('zenodo', 429).transient).toBe(true);
  expect(new UpstreamError('zenodo', 503).transient).toBe(true);
  expect(new UpstreamError('zenodo', 404).transient).toBe(false);
  const told = new UpstreamError('zenodo', undefined, undefined, {
    detail: 'zenodo did not confirm the file.',
    transient: false,
  });
  expect(told).toMatchObject({ transient: false, message: 'zenodo did not confirm the file.' });
});
