/**
 * token-storage (layer 3): the service registry and the token vault. Ports register here; users'
 * tokens and credentials are kept sealed, refreshed once across replicas, and handed only to the
 * port of their own service.
 */
import { fileURLToPath } from 'node:url';
import { Agent } from 'undici';
import { serviceContract } from '@rds/contracts';
import type { operations } from '@rds/contracts/generated/token-storage';
import type { ServiceDefinition } from '@rds/kit';
import { createKeyRing } from '@rds/secrets';
import { openServiceDatabase } from '@rds/storage';
import { handlers } from './handlers.ts';
import { OAuthProvider } from './oauth.ts';
import { SETTINGS, type TokenStorageSettings } from './settings.ts';
import packageJson from '../package.json' with { type: 'json' };

export { reencryptAll } from './reencrypt.ts';
export { OPERATOR } from './handlers.ts';
export { SETTINGS, type TokenStorageSettings } from './settings.ts';

const MIGRATIONS = fileURLToPath(new URL('./migrations', import.meta.url));

export const definition: ServiceDefinition<TokenStorageSettings, operations> = {
  name: 'token-storage',
  layer: 3,
  version: packageJson.version,
  contract: serviceContract('token-storage'),
  settings: SETTINGS,
  setup: async ({ settings, logger }) => {
    const keys = createKeyRing(settings.RDS_ENCRYPTION_KEY);
    const db = await openServiceDatabase('token-storage', settings, {
      migrations: MIGRATIONS,
      log: logger,
    });
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
      readiness: [{ name: 'database', check: () => db.ping() }],
      close: async () => {
        await agent.close();
        await db.close();
      },
    };
  },
};

export default definition;
