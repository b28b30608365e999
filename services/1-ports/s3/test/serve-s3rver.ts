/**
 * s3rver in a process of its own, for the tests: `serve-s3rver.ts <directory> <bucket>`. It must
 * run with `--openssl-legacy-provider`: s3rver encrypts its continuation tokens with DES, which
 * OpenSSL 3 (Node 17 on) offers only then, and without it every truncated listing fails with 500.
 * Prints its URL, then every request it receives, one JSON line each.
 */
import type { IncomingMessage } from 'node:http';
import S3rver from 's3rver';

const [directory, bucket] = process.argv.slice(2) as [string, string];
const print = (line: object) => process.stdout.write(`${JSON.stringify(line)}\n`);

const server = new S3rver({
  address: '127.0.0.1',
  port: 0,
  directory,
  silent: true,
  configureBuckets: [{ name: bucket }],
});
const { port } = await server.run();
server.httpServer.on('request', (request: IncomingMessage) =>
  print({ request: `${request.method} ${request.url}` }),
);
print({ url: `http://127.0.0.1:${port}` });
process.once('SIGTERM', () => void server.close().then(() => process.exit(0)));
