/**
 * port-service (layer 2): connecting accounts. The catalogue of services, the OAuth2
 * authorization-code flow with PKCE and a sealed, single-use state, credential connections and
 * disconnecting. Keeps nothing: tokens live in token-storage.
 */
import { serviceContract } from '@rds/contracts';
import type { ServiceDefinition } from '@rds/kit';
import { handlers } from './handlers.ts';
import { stateSealer } from './state.ts';
import packageJson from '../package.json' with { type: 'json' };

export interface PortServiceSettings {
  RDS_TOKEN_STORAGE_URL: string;
  RDS_AUTHORIZATION_TTL_S: number;
}

export const definition: ServiceDefinition<PortServiceSettings> = {
  name: 'port-service',
  layer: 2,
  version: packageJson.version,
  contract: serviceContract('port-service'),
  settings: {
    type: 'object',
    properties: {
      RDS_TOKEN_STORAGE_URL: { type: 'string', pattern: '^https?://' },
      RDS_AUTHORIZATION_TTL_S: { type: 'integer', minimum: 30, maximum: 3600, default: 600 },
    },
    required: ['RDS_TOKEN_STORAGE_URL'],
  },
  setup: async ({ settings, serviceClient }) => ({
    handlers: handlers({
      tokenStorage: serviceClient('token-storage'),
      sealer: stateSealer(settings.RDS_SERVICE_SECRET),
      stateTtlSeconds: settings.RDS_AUTHORIZATION_TTL_S,
    }),
  }),
};

export default definition;
