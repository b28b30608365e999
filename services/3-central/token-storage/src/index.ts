/**
 * token-storage (layer 3): the service registry and the token vault. Ports register here; users'
 * tokens and credentials are kept sealed, refreshed once across replicas, and handed only to the
 * port of their own service.
 */
import { fileURLToPath } from 'node:url';
import { Agent } from 'undici';
import { serviceContract } from '@rds/contracts';
import { defineService } from '@rds/kit';
import { createKeyRing } from '@rds/secrets';
import { serviceDatabase } from '@rds/storage';
import { handlers } from './handlers.ts';
import { OAuthProvider } from './oauth.ts';
import { SETTINGS } from './settings.ts';
import packageJson from '../package.json' with { type: 'json' };

export { reencryptAll } from './reencrypt.ts';
export { OPERATOR } from './handlers.ts';

const MIGRATIONS = fileURLToPath(new URL('./migrations', import.meta.url));

export const definition = defineService({
  name: 'token-storage',
  layer: 3,
  version: packageJson.version,
  contract: serviceContract('token-storage'),
  settings: SETTINGS,
  database: serviceDatabase(MIGRATIONS),
  setup: async ({ settings, database: db }) => {
    const keys = createKeyRing(settings.RDS_ENCRYPTION_KEY);
    const agent = new Agent({
      headersTimeout: 15_000,
      bodyTimeout: 15_000,
      connectTimeout: 10_000,
    });
    const vault = {
      db,
      keys,
      provider: new OAuthProvider(agent),
      refreshMarginSeconds: settings.RDS_TOKEN_REFRESH_MARGIN_S,
    };
    return {
      handlers: handlers(vault),
      anonymousOperations: settings.RDS_ALLOW_ANONYMOUS_REGISTRATION ? ['registerService'] : [],
      close: () => agent.close(),
    };
  },
});

export default definition;
