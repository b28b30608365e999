/**
 * exporter (layer 2): exports research contexts to their targets. An export is a run in
 * research-manager and a durable job here; stateless workers stream each file from source to
 * target, resume per file after any interruption, and publish as each target's settings say.
 */
import { fileURLToPath } from 'node:url';
import { Agent } from 'undici';
import { serviceContract } from '@rds/contracts';
import { defineService } from '@rds/kit';
import { Callees } from '@rds/ports';
import { serviceDatabase } from '@rds/storage';
import { handlers } from './handlers.ts';
import { JobQueue } from './jobs.ts';
import { ResearchManager } from './research-manager.ts';
import { SETTINGS } from './settings.ts';
import { Workers } from './workers.ts';
import packageJson from '../package.json' with { type: 'json' };

export { SETTINGS, type ExporterSettings } from './settings.ts';

const MIGRATIONS = fileURLToPath(new URL('./migrations', import.meta.url));

const CALLS = {
  'research-manager': serviceContract('research-manager'),
  // The registry: only ports registered there, for the interface a call needs, are called.
  'token-storage': serviceContract('token-storage'),
};

export const definition = defineService({
  name: 'exporter',
  layer: 2,
  findsPortsByName: true,
  streamsFiles: true,
  version: packageJson.version,
  contract: serviceContract('exporter'),
  settings: SETTINGS,
  calls: CALLS,
  database: serviceDatabase(MIGRATIONS),
  setup: async ({ settings, clients, database, findPorts, logger }) => {
    // Ports answer an upload once their repository has stored the file: beyond the kit's 30 s.
    const dispatcher = new Agent({
      headersTimeout: 120_000,
      bodyTimeout: 60_000,
      connectTimeout: 10_000,
    });
    const researchManager = new ResearchManager(clients['research-manager']);
    const queue = new JobQueue(database, settings.RDS_EXPORTER_LEASE_MS);
    const workers = new Workers(
      queue,
      {
        researchManager,
        ports: findPorts({ dispatcher }),
        callees: new Callees(clients['token-storage']),
        progressIntervalMs: settings.RDS_EXPORTER_PROGRESS_INTERVAL_MS,
        fileRetry: {
          attempts: settings.RDS_EXPORTER_FILE_ATTEMPTS,
          baseDelayMs: settings.RDS_EXPORTER_RETRY_DELAY_MS,
          maxDelayMs: 30_000,
        },
        fileConcurrency: settings.RDS_EXPORTER_FILE_CONCURRENCY,
        logger,
      },
      {
        count: settings.RDS_EXPORTER_WORKERS,
        leaseMs: settings.RDS_EXPORTER_LEASE_MS,
        pollMs: settings.RDS_EXPORTER_POLL_MS,
        maxAttempts: settings.RDS_EXPORTER_MAX_ATTEMPTS,
      },
      logger,
    );
    workers.start();
    return {
      handlers: handlers({
        researchManager,
        queue,
        workers,
        progressIntervalMs: settings.RDS_EXPORTER_PROGRESS_INTERVAL_MS,
      }),
      close: async () => {
        await workers.stop();
        await dispatcher.close();
      },
    };
  },
});

export default definition;
