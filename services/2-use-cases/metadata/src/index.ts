/**
 * metadata (layer 2): RDS's canonical metadata model as JSON Schema, its import from and
 * write-back to the RO-Crate of a source folder, and per-target checks against repository ports.
 * Keeps nothing: crates stay in the user's storage.
 */
import { serviceContract } from '@rds/contracts';
import type { ServiceDefinition } from '@rds/kit';
import { Callees } from '@rds/ports';
import { handlers } from './handlers.ts';
import { portClients } from './ports.ts';
import { researchMetadataSchema } from './schema.ts';
import packageJson from '../package.json' with { type: 'json' };

const contract = serviceContract('metadata');

export interface MetadataSettings {
  /** token-storage's registry says which services are ports, and of which interface. */
  RDS_TOKEN_STORAGE_URL: string;
}

export const definition: ServiceDefinition<MetadataSettings> = {
  name: 'metadata',
  layer: 2,
  findsPortsByName: true,
  version: packageJson.version,
  contract,
  settings: {
    type: 'object',
    properties: { RDS_TOKEN_STORAGE_URL: { type: 'string', pattern: '^https?://' } },
    required: ['RDS_TOKEN_STORAGE_URL'],
  },
  setup: async ({ settings, serviceClient }) => ({
    handlers: handlers({
      schema: await researchMetadataSchema(contract),
      // The kit keeps every RDS_<SERVICE>_URL it is given: that is where each port is.
      port: portClients(settings as unknown as Record<string, unknown>, serviceClient),
      callees: new Callees(serviceClient('token-storage')),
    }),
  }),
};

export default definition;
