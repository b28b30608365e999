/** The fileStorage interface's own suite (@rds/ports), against the port on a temporary folder. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestService } from '@rds/kit/testing';
import { fileStorageSuite } from '@rds/ports/conformance/file-storage';
import { startTokenStorage } from '@rds/token-storage/testing';
import { definition } from '../src/index.ts';

fileStorageSuite(
  async () => {
    const tokenStorage = await startTokenStorage();
    const port = await startTestService(definition, {
      RDS_LOCAL_FOLDER_ROOT: mkdtempSync(join(tmpdir(), 'rds-local-folder-')),
      RDS_TOKEN_STORAGE_URL: tokenStorage.url,
    });
    return {
      url: port.url,
      servicename: 'local-folder',
      tokenStorageUrl: tokenStorage.url,
      user: 'ada',
      stranger: 'bob',
      close: async () => {
        await port.close();
        await tokenStorage.close();
      },
    };
  },
  {
    deviations: {
      nothingToConnect:
        'the folder is on this server, so there is no connection to lack: every user has a folder of their own (src/user-folders.ts)',
    },
  },
);
