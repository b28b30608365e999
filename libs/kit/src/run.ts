import type { Logger } from 'pino';
import type { Service } from './service.ts';
import { stopTracing } from './tracing.ts';

/**
 * Keeps services running until SIGTERM or SIGINT, then shuts them all down cleanly and exits;
 * a second signal exits at once.
 */
export function stopOnSignals(services: Service[], log: Pick<Logger, 'info' | 'error'>): void {
  let stopping = false;
  const stop = async (signal: NodeJS.Signals) => {
    if (stopping) process.exit(130);
    stopping = true;
    log.info({ signal }, 'shutting down');
    try {
      await Promise.all(services.map((s) => s.close()));
      await stopTracing();
      log.info('stopped');
      process.exit(0);
    } catch (error) {
      log.error({ err: error }, 'shutdown failed');
      process.exit(1);
    }
  };
  process.on('SIGTERM', (s) => void stop(s));
  process.on('SIGINT', (s) => void stop(s));
}
