import { pino, type Logger } from 'pino';
import {
  createService,
  serviceSettings,
  type Service,
  type Callees,
  type ServiceDefinition,
} from './service.ts';
import { tuneForStreaming } from './streaming.ts';
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

/** `rds serve <service>`: one service, configured from the environment, until a signal stops it. */
export async function serve<S, Operations, Calls extends Callees, Database>(
  definition: ServiceDefinition<S, Operations, Calls, Database>,
  env: NodeJS.ProcessEnv = process.env,
): Promise<Service> {
  const settings = serviceSettings(definition, env);
  if (definition.streamsFiles) tuneForStreaming();
  const service = await createService(definition, settings);
  const url = await service.listen();
  service.app.log.info({ url }, `${definition.name} listening`);
  stopOnSignals([service], pino({ base: { service: definition.name }, level: settings.LOG_LEVEL }));
  return service;
}
