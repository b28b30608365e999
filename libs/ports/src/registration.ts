import { retry, UpstreamError } from '@rds/kit';
import type { components } from '@rds/contracts/generated/token-storage';
import type { Logger } from 'pino';
import { answerOf, type TokenStorage } from './token-storage.ts';

export type Registration = components['schemas']['Registration'];

export interface RegisterOptions {
  logger: Pick<Logger, 'info' | 'warn'>;
  /** First wait after a failed attempt; doubled up to `maxDelayMs`. */
  baseDelayMs?: number;
  maxDelayMs?: number;
  signal?: AbortSignal;
}

/**
 * Registers the port with token-storage, retrying with backoff for as long as token-storage
 * cannot be reached or fails, so that a port may start before it. A refused registration (a 4xx
 * but 429) is a configuration error: it is thrown, not retried.
 */
export async function registerPort(
  tokenStorage: TokenStorage,
  registration: Registration,
  options: RegisterOptions,
): Promise<void> {
  const { logger, baseDelayMs = 500, maxDelayMs = 30_000, signal } = options;
  const attempts = await retry(
    async (attempt) => {
      await answerOf(
        tokenStorage.call('registerService', { json: registration, idempotent: true }),
      );
      return attempt;
    },
    { attempts: Infinity, baseDelayMs, maxDelayMs, jitter: false },
    {
      signal,
      isTransient: (error) => error instanceof UpstreamError && error.transient,
      onRetry: ({ error }, { attempt, delayMs }) =>
        logger.warn(
          { attempt, retryInMs: delayMs, upstreamStatus: (error as UpstreamError).upstreamStatus },
          'token-storage not answering; registration retried',
        ),
    },
  );
  logger.info(
    { servicename: registration.servicename, attempt: attempts },
    'registered with token-storage',
  );
}
