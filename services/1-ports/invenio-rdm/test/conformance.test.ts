/** The repository interface's own suite (@rds/ports), against the port on the InvenioRDM fake. */
import { startTestService } from '@rds/kit/testing';
import { repositorySuite } from '@rds/ports/conformance/repository';
import { startTokenStorage } from '@rds/token-storage/testing';
import { inveniordmDefinition } from '../src/index.ts';
import { startFakeInvenio } from '@rds/test-peers';
import { connect, METADATA } from './helpers.ts';

repositorySuite(async () => {
  const tokenStorage = await startTokenStorage();
  const zenodo = await startFakeInvenio({
    oauthClient: { id: 'rds-client', secret: 'rds-client-secret' },
    rateLimit: { requests: 100_000, windowMs: 60_000 },
  });
  const port = await startTestService(inveniordmDefinition('zenodo'), {
    RDS_INVENIO_URL: zenodo.url,
    RDS_TOKEN_STORAGE_URL: tokenStorage.url,
    RDS_INVENIO_OAUTH_CLIENT_ID: 'rds-client',
    RDS_INVENIO_OAUTH_CLIENT_SECRET: 'rds-client-secret',
  });
  const tokens = zenodo.issueOAuthTokens('ada');
  await connect(tokenStorage, 'zenodo', 'ada', { kind: 'oauth2', ...tokens, expires_in: 3600 });
  return {
    url: port.url,
    servicename: 'zenodo',
    tokenStorageUrl: tokenStorage.url,
    user: 'ada',
    stranger: 'bob',
    metadata: METADATA,
    close: async () => {
      await port.close();
      await zenodo.close();
      await tokenStorage.close();
    },
  };
});
