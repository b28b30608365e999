/**
 * research-manager (layer 3): users' research contexts — their sources, targets and lifecycle —
 * and the export runs that keep every target's and file's state. Writes to a context are
 * conditional on its ETag; workers update a run's files side by side.
 */
import { fileURLToPath } from 'node:url';
import { serviceContract } from '@rds/contracts';
import type { operations } from '@rds/contracts/generated/research-manager';
import type { ServiceDefinition } from '@rds/kit';
import { openServiceDatabase } from '@rds/storage';
import { handlers } from './handlers.ts';
import { SETTINGS, type ResearchManagerSettings } from './settings.ts';
import packageJson from '../package.json' with { type: 'json' };

export { SETTINGS, type ResearchManagerSettings } from './settings.ts';

const MIGRATIONS = fileURLToPath(new URL('./migrations', import.meta.url));

export const definition: ServiceDefinition<ResearchManagerSettings, operations> = {
  name: 'research-manager',
  layer: 3,
  version: packageJson.version,
  contract: serviceContract('research-manager'),
  settings: SETTINGS,
  setup: async ({ settings, logger }) => {
    const db = await openServiceDatabase('research-manager', settings, {
      migrations: MIGRATIONS,
      log: logger,
    });
    return {
      handlers: handlers(db),
      readiness: [{ name: 'database', check: () => db.ping() }],
      close: () => db.close(),
    };
  },
};

export default definition;
