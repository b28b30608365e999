/** The repository interface's own suite (@rds/ports), against the archive in a scratch folder. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestService } from '@rds/kit/testing';
import { repositorySuite } from '@rds/ports/conformance/repository';
import { startTokenStorage } from '@rds/token-storage/testing';
import { definition } from '../src/index.ts';

repositorySuite(
  async () => {
    const root = mkdtempSync(join(tmpdir(), 'rds-local-archive-conformance-'));
    const tokenStorage = await startTokenStorage();
    const port = await startTestService(definition, {
      RDS_LOCAL_ARCHIVE_ROOT: root,
      RDS_TOKEN_STORAGE_URL: tokenStorage.url,
    });
    return {
      url: port.url,
      servicename: 'local-archive',
      tokenStorageUrl: tokenStorage.url,
      user: 'ada',
      stranger: 'bob',
      metadata: {
        title: 'Soil moisture, Garching 2024',
        license: { id: 'CC-BY-4.0' },
        creators: [{ name: 'Lovelace, Ada', givenName: 'Ada', familyName: 'Lovelace' }],
      },
      close: async () => {
        await port.close();
        await tokenStorage.close();
        rmSync(root, { recursive: true, force: true });
      },
    };
  },
  {
    deviations: {
      nothingToConnect:
        'the archive is on this server; every user may publish to it, each to records of their own',
    },
  },
);
