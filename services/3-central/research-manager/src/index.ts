/**
 * research-manager (layer 3): users' research contexts — their sources, targets and lifecycle —
 * and the export runs that keep every target's and file's state. Writes to a context are
 * conditional on its ETag; workers update a run's files side by side.
 */
import { fileURLToPath } from 'node:url';
import { serviceContract } from '@rds/contracts';
import { defineService } from '@rds/kit';
import { serviceDatabase } from '@rds/storage';
import { handlers } from './handlers.ts';
import packageJson from '../package.json' with { type: 'json' };

const MIGRATIONS = fileURLToPath(new URL('./migrations', import.meta.url));

export const definition = defineService({
  name: 'research-manager',
  layer: 3,
  version: packageJson.version,
  contract: serviceContract('research-manager'),
  database: serviceDatabase(MIGRATIONS),
  setup: async ({ database }) => ({ handlers: handlers(database) }),
});

export default definition;
