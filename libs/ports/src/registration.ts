import { setTimeout as sleep } from 'node:timers/promises';
import { UpstreamError, type HttpClient } from '@rds/kit';
import type { components } from '@rds/contracts/generated/token-storage';
import type { Logger } from 'pino';

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
 * cannot be reached or fails, so that a port may start before it. A refused registration (4xx)
 * is a configuration error: it is thrown, not retried.
 */
export async function registerPort(
  tokenStorage: HttpClient,
  registration: Registration,
  options: RegisterOptions,
): Promise<void> {
  const { logger, baseDelayMs = 500, maxDelayMs = 30_000, signal } = options;
  for (let attempt = 1; ; attempt++) {
    try {
      await tokenStorage.json({
        method: 'POST',
        path: '/service',
        json: registration,
        idempotent: true,
      });
      logger.info(
        { servicename: registration.servicename, attempt },
        'registered with token-storage',
      );
      return;
    } catch (error) {
      const status = error instanceof UpstreamError ? error.upstreamStatus : undefined;
      if (!(error instanceof UpstreamError) || (status !== undefined && status < 500)) throw error;
      const delay = Math.min(baseDelayMs * 2 ** (attempt - 1), maxDelayMs);
      logger.warn(
        { attempt, retryInMs: delay, upstreamStatus: status },
        'token-storage not answering; registration retried',
      );
      await sleep(delay, undefined, { signal });
    }
  }
}
