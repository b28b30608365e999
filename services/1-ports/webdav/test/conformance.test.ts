/** The fileStorage interface's own suite (@rds/ports), against the port on Apache's mod_dav. */
import { fileStorageSuite } from '@rds/ports/conformance/file-storage';
import { startTokenStorage } from '@rds/token-storage/testing';
import { startApache } from '@rds/test-peers';
import { connect, startPort, STARTUP_TIMEOUT_MS } from './harness.ts';

const SERVER_USER = 'ada.lovelace';
const PASSWORD = 'app-password-1';

fileStorageSuite(
  async () => {
    const apache = await startApache(SERVER_USER, PASSWORD);
    const tokenStorage = await startTokenStorage();
    const port = await startPort(tokenStorage, { RDS_WEBDAV_SERVER_URL: apache.url });
    await connect(tokenStorage, 'ada', {
      kind: 'credentials',
      userId: SERVER_USER,
      password: PASSWORD,
    });
    return {
      url: port.url,
      servicename: 'webdav',
      tokenStorageUrl: tokenStorage.url,
      user: 'ada',
      stranger: 'bob',
      close: async () => {
        await port.close();
        await tokenStorage.close();
        await apache.stop();
      },
    };
  },
  { startupTimeoutMs: STARTUP_TIMEOUT_MS },
);
