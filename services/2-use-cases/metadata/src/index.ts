/**
 * metadata (layer 2): RDS's canonical metadata model as JSON Schema, its import from and
 * write-back to the RO-Crate of a source folder, and per-target checks against repository ports.
 * Keeps nothing: crates stay in the user's storage.
 */
import { serviceContract } from '@rds/contracts';
import type { ServiceDefinition } from '@rds/kit';
import { handlers } from './handlers.ts';
import { portClients } from './ports.ts';
import { researchMetadataSchema } from './schema.ts';
import packageJson from '../package.json' with { type: 'json' };

const contract = serviceContract('metadata');

export const definition: ServiceDefinition<Record<string, string | undefined>> = {
  name: 'metadata',
  layer: 2,
  findsPortsByName: true,
  version: packageJson.version,
  contract,
  setup: async ({ settings, serviceClient }) => ({
    handlers: handlers({
      schema: await researchMetadataSchema(contract),
      port: portClients(settings, serviceClient),
    }),
  }),
};

export default definition;
