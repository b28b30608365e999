/**
 * port-service (layer 2): connecting accounts. The catalogue of services, the OAuth2
 * authorization-code flow with PKCE and a sealed, single-use state, credential connections and
 * disconnecting. Keeps nothing: tokens live in token-storage.
 */
import { serviceContract } from '@rds/contracts';
import { defineService, type SettingsSchema } from '@rds/kit';
import { handlers } from './handlers.ts';
import { stateSealer } from './state.ts';
import packageJson from '../package.json' with { type: 'json' };

const SETTINGS = {
  type: 'object',
  properties: {
    RDS_AUTHORIZATION_TTL_S: { type: 'integer', minimum: 30, maximum: 3600, default: 600 },
  },
} as const satisfies SettingsSchema;

export const definition = defineService({
  name: 'port-service',
  layer: 2,
  version: packageJson.version,
  contract: serviceContract('port-service'),
  calls: { 'token-storage': serviceContract('token-storage') },
  settings: SETTINGS,
  setup: async ({ settings, clients }) => ({
    handlers: handlers({
      tokenStorage: clients['token-storage'],
      sealer: stateSealer(settings.RDS_SERVICE_SECRET),
      stateTtlSeconds: settings.RDS_AUTHORIZATION_TTL_S,
    }),
  }),
});

export default definition;
