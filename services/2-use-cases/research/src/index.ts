/**
 * research (layer 2): what the web front end needs of a user's research — their contexts with
 * sources, targets and export runs, kept by research-manager — and the folders of the storage
 * they are connected to, to pick data from. Keeps nothing.
 */
import { serviceContract } from '@rds/contracts';
import type { operations } from '@rds/contracts/generated/research';
import { envName, type ServiceDefinition } from '@rds/kit';
import { Callees } from '@rds/ports';
import { contextHandlers } from './contexts.ts';
import { storageHandlers, StoragePorts } from './storage.ts';
import packageJson from '../package.json' with { type: 'json' };

const CALLS = {
  'research-manager': serviceContract('research-manager'),
  'token-storage': serviceContract('token-storage'),
};

export const definition: ServiceDefinition<object, operations, typeof CALLS> = {
  name: 'research',
  layer: 2,
  findsPortsByName: true,
  version: packageJson.version,
  contract: serviceContract('research'),
  calls: CALLS,
  setup: async ({ settings, clients, serviceClient }) => {
    const researchManager = clients['research-manager'];
    // The kit keeps every RDS_<SERVICE>_URL it is given: that is where each storage port is.
    const urls = settings as unknown as Record<string, string | undefined>;
    const storage = new StoragePorts(new Callees(clients['token-storage']), (servicename) =>
      urls[envName(servicename)] ? serviceClient(servicename) : undefined,
    );
    return {
      handlers: { ...contextHandlers(researchManager), ...storageHandlers(storage) },
      readiness: [
        {
          name: 'research-manager',
          check: async () => {
            await researchManager.http.json({ path: '/health/ready' });
          },
        },
      ],
    };
  },
};

export default definition;
