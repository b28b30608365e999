/**
 * exporter (layer 2): exports research contexts to their targets. An export is a run in
 * research-manager and a durable job here; stateless workers stream each file from source to
 * target, resume per file after any interruption, and publish as each target's settings say.
 */
import { fileURLToPath } from 'node:url';
import { Agent } from 'undici';
import { serviceContract } from '@rds/contracts';
import type { operations } from '@rds/contracts/generated/exporter';
import { ContractClient, type HttpClient, type ServiceDefinition } from '@rds/kit';
import { Callees } from '@rds/ports';
import { openServiceDatabase } from '@rds/storage';
import { handlers } from './handlers.ts';
import { JobQueue } from './jobs.ts';
import { ResearchManager } from './research-manager.ts';
import { SETTINGS, type ExporterSettings } from './settings.ts';
import { Workers } from './workers.ts';
import packageJson from '../package.json' with { type: 'json' };

export { SETTINGS, type ExporterSettings } from './settings.ts';

const MIGRATIONS = fileURLToPath(new URL('./migrations', import.meta.url));

const CALLS = {
  'research-manager': serviceContract('research-manager'),
  // The registry: only ports registered there, for the interface a call needs, are called.
  'token-storage': serviceContract('token-storage'),
};

export const definition: ServiceDefinition<ExporterSettings, operations, typeof CALLS> = {
  name: 'exporter',
  layer: 2,
  findsPortsByName: true,
  streamsFiles: true,
  version: packageJson.version,
  contract: serviceContract('exporter'),
  settings: SETTINGS,
  calls: CALLS,
  setup: async ({ settings, serviceClient, logger }) => {
    const db = await openServiceDatabase('exporter', settings, {
      migrations: MIGRATIONS,
      log: logger,
    });
    // The exporter's own connection pool, for the services it calls too (rather than the kit's
    // clients of CALLS): the kit closes its clients before the service's parts, and the workers
    // still need theirs to give their jobs back.
    const dispatcher = new Agent({
      headersTimeout: 120_000,
      bodyTimeout: 60_000,
      connectTimeout: 10_000,
    });
    const clients = new Map<string, HttpClient>();
    const port = (name: string) => {
      let client = clients.get(name);
      if (!client) clients.set(name, (client = serviceClient(name, { dispatcher })));
      return client;
    };
    const researchManager = new ResearchManager(
      await ContractClient.of(port('research-manager'), CALLS['research-manager']),
    );
    const queue = new JobQueue(db, settings.RDS_EXPORTER_LEASE_MS);
    const workers = new Workers(
      queue,
      {
        researchManager,
        port,
        callees: new Callees(serviceClient('token-storage', { dispatcher })),
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
      readiness: [{ name: 'database', check: () => db.ping() }],
      close: async () => {
        await workers.stop();
        await dispatcher.close();
        await db.close();
      },
    };
  },
};

export default definition;
