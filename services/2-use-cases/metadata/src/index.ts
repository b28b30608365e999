/**
 * metadata (layer 2): RDS's canonical metadata model as JSON Schema, its import from and
 * write-back to the RO-Crate of a source folder, and per-target checks against repository ports.
 * Keeps nothing: crates stay in the user's storage.
 */
import { interfaceContract, serviceContract } from '@rds/contracts';
import { defineService } from '@rds/kit';
import { Callees } from '@rds/ports';
import { handlers } from './handlers.ts';
import { researchMetadataSchema } from './schema.ts';
import packageJson from '../package.json' with { type: 'json' };

const contract = serviceContract('metadata');

export const definition = defineService({
  name: 'metadata',
  layer: 2,
  findsPortsByName: true,
  version: packageJson.version,
  contract,
  calls: {
    /** token-storage's registry says which services are ports, and of which interface. */
    'token-storage': serviceContract('token-storage'),
  },
  setup: async ({ clients, findPorts }) => {
    const port = findPorts();
    return {
      handlers: handlers({
        schema: await researchMetadataSchema(contract),
        storagePort: (name) => port(name, interfaceContract('file-storage')),
        repositoryPort: (name) => port(name, interfaceContract('repository')),
        callees: new Callees(clients['token-storage']),
      }),
    };
  },
});

export default definition;
