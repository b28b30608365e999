/** The fileStorage interface's own suite (@rds/ports), against the port on s3rver. */
import { fileStorageSuite } from '@rds/ports/conformance/file-storage';
import { startTokenStorage } from '@rds/token-storage/testing';
import { ACCESS_KEY, connect, startPort, startS3rver } from './harness.ts';

fileStorageSuite(
  async () => {
    const [s3, tokenStorage] = await Promise.all([startS3rver(), startTokenStorage()]);
    const port = await startPort(tokenStorage, { RDS_S3_ENDPOINT: s3.url });
    await connect(tokenStorage, 'ada', ACCESS_KEY, ACCESS_KEY);
    return {
      url: port.url,
      servicename: 's3',
      tokenStorageUrl: tokenStorage.url,
      user: 'ada',
      stranger: 'bob',
      close: async () => {
        await port.close();
        await Promise.all([tokenStorage.close(), s3.close()]);
      },
    };
  },
  {
    deviations: {
      listingOrder:
        'S3 lists keys only in byte order, folders among files; folders first would mean reading the whole folder for every page (src/order.ts)',
    },
  },
);
