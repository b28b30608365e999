/**
 * research (layer 2): what the web front end needs of a user's research — their contexts with
 * sources, targets and export runs, kept by research-manager — and the folders of the storage
 * they are connected to, to pick data from. Keeps nothing.
 */
import { serviceContract } from '@rds/contracts';
import { envName, type ServiceDefinition } from '@rds/kit';
import { Callees } from '@rds/ports';
import { contextHandlers } from './contexts.ts';
import { storageHandlers, StoragePorts } from './storage.ts';
import packageJson from '../package.json' with { type: 'json' };

export interface ResearchSettings {
  RDS_RESEARCH_MANAGER_URL: string;
  RDS_TOKEN_STORAGE_URL: string;
}

export const definition: ServiceDefinition<ResearchSettings> = {
  name: 'research',
  layer: 2,
  findsPortsByName: true,
  version: packageJson.version,
  contract: serviceContract('research'),
  settings: {
    type: 'object',
    properties: {
      RDS_RESEARCH_MANAGER_URL: { type: 'string', pattern: '^https?://' },
      RDS_TOKEN_STORAGE_URL: { type: 'string', pattern: '^https?://' },
    },
    required: ['RDS_RESEARCH_MANAGER_URL', 'RDS_TOKEN_STORAGE_URL'],
  },
  setup: async ({ settings, serviceClient }) => {
    const researchManager = serviceClient('research-manager');
    // The kit keeps every RDS_<SERVICE>_URL it is given: that is where each storage port is.
    const urls = settings as unknown as Record<string, string | undefined>;
    const storage = new StoragePorts(new Callees(serviceClient('token-storage')), (servicename) =>
      urls[envName(servicename)] ? serviceClient(servicename) : undefined,
    );
    return {
      handlers: { ...contextHandlers(researchManager), ...storageHandlers(storage) },
      readiness: [
        {
          name: 'research-manager',
          check: async () => {
            await researchManager.json({ path: '/health/ready' });
          },
        },
      ],
    };
  },
};

export default definition;
