/**
 * The fake as a local sandbox, to try the port (or anything speaking the InvenioRDM API) by hand:
 * `node --import tsx libs/test-peers/src/invenio-rdm/sandbox.ts` prints its URL and a
 * personal access token. `PORT` picks the port.
 */
import { startFakeInvenio } from './server.ts';

const fake = await startFakeInvenio({}, Number(process.env.PORT ?? 0));
const token = fake.addUser('sandbox');
process.stdout.write(
  `fake InvenioRDM at ${fake.url}\npersonal access token: ${token}\n` +
    `Try it with RDS: RDS_INVENIO_URL=${fake.url} RDS_INVENIO_DISPLAY_NAME=Zenodo npm start, ` +
    'then connect Zenodo under Connected services with the token.\n',
);
const stop = () => void fake.close().then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
