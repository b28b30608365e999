/**
 * research (layer 2): what the web front end needs of a user's research — their contexts with
 * sources, targets and export runs, kept by research-manager — and the folders of the storage
 * they are connected to, to pick data from. Keeps nothing.
 */
import { interfaceContract, serviceContract } from '@rds/contracts';
import { defineService } from '@rds/kit';
import { Callees } from '@rds/ports';
import { contextHandlers } from './contexts.ts';
import { storageHandlers, StoragePorts } from './storage.ts';
import packageJson from '../package.json' with { type: 'json' };

export const definition = defineService({
  name: 'research',
  layer: 2,
  findsPortsByName: true,
  version: packageJson.version,
  contract: serviceContract('research'),
  calls: {
    'research-manager': serviceContract('research-manager'),
    'token-storage': serviceContract('token-storage'),
  },
  setup: async ({ clients, findPorts }) => {
    const researchManager = clients['research-manager'];
    const port = findPorts();
    const storage = new StoragePorts(new Callees(clients['token-storage']), (servicename) =>
      port(servicename, interfaceContract('file-storage')),
    );
    return {
      handlers: { ...contextHandlers(researchManager), ...storageHandlers(storage) },
      readiness: [{ name: 'research-manager', check: () => researchManager.ready() }],
    };
  },
});

export default definition;
