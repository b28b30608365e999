/**
 * metadata (layer 2): RDS's canonical metadata model as JSON Schema, its import from and
 * write-back to the RO-Crate of a source folder, and per-target checks against repository ports.
 * Keeps nothing: crates stay in the user's storage.
 */
import { interfaceContract, serviceContract } from '@rds/contracts';
import type { operations } from '@rds/contracts/generated/metadata';
import type { ServiceDefinition } from '@rds/kit';
import { Callees } from '@rds/ports';
import { handlers } from './handlers.ts';
import { portClients } from './ports.ts';
import { researchMetadataSchema } from './schema.ts';
import packageJson from '../package.json' with { type: 'json' };

const contract = serviceContract('metadata');

const CALLS = {
  /** token-storage's registry says which services are ports, and of which interface. */
  'token-storage': serviceContract('token-storage'),
};

export const definition: ServiceDefinition<object, operations, typeof CALLS> = {
  name: 'metadata',
  layer: 2,
  findsPortsByName: true,
  version: packageJson.version,
  contract,
  calls: CALLS,
  setup: async ({ settings, clients, serviceClient }) => {
    // The kit keeps every RDS_<SERVICE>_URL it is given: that is where each port is.
    const urls = settings as unknown as Record<string, unknown>;
    return {
      handlers: handlers({
        schema: await researchMetadataSchema(contract),
        storagePort: portClients(urls, serviceClient, interfaceContract('file-storage')),
        repositoryPort: portClients(urls, serviceClient, interfaceContract('repository')),
        callees: new Callees(clients['token-storage']),
      }),
    };
  },
};

export default definition;
