import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createHash } from 'node:crypto';
import { afterEach, describe, expect, test } from 'vitest';
import { interfaceContract } from '@rds/contracts';
import { ContractClient, HttpClient, type Contract } from '@rds/kit';
import { PortError, type RepositoryPort, type StoragePort } from '../src/port-calls.ts';
import {
  checksumOnce,
  transfer as transferRetried,
  transferOnce,
  type FileTransfer,
} from '../src/transfer.ts';

/** One file transfer between two plain HTTP servers standing in for a source and a target port. */
const servers: Server[] = [];
const clients: HttpClient[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    server.close();
  }
});

async function serve<Operations>(
  name: string,
  contract: Contract<Operations>,
  handle: (req: IncomingMessage, res: ServerResponse) => void,
): Promise<ContractClient<Operations>> {
  const server = createServer(handle);
  servers.push(server);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  const client = new HttpClient({ name, baseUrl: `http://127.0.0.1:${port}`, timeoutMs: 5000 });
  clients.push(client);
  return ContractClient.of(client, contract);
}

const SOURCE = interfaceContract('file-storage');
const TARGET = interfaceContract('repository');

const CONTENT = Buffer.alloc(256 * 1024, 'rds');
const MD5 = `md5:${createHash('md5').update(CONTENT).digest('hex')}`;

/** A target port that reads the whole upload and answers with what `answer` makes of it. */
function target(answer: (received: Buffer) => object) {
  return serve('zenodo', TARGET, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      res.writeHead(201, { 'content-type': 'application/json' });
      res.end(JSON.stringify(answer(Buffer.concat(chunks))));
    });
  });
}

async function transfer(source: StoragePort, to: RepositoryPort) {
  const file: FileTransfer = {
    source: { port: 'webdav', client: source, path: '/data.bin' },
    target: { port: 'zenodo', client: to, recordId: 'r1', key: 'data.bin' },
    size: CONTENT.length,
    algorithm: 'md5',
    signal: new AbortController().signal,
  };
  return transferOnce(file).catch((error: unknown) => error);
}

const wholeSource = () => serve('webdav', SOURCE, (_req, res) => res.end(CONTENT));

describe('one file from a source port to a target port', () => {
  test('streams the bytes and keeps the checksum the target port confirms', async () => {
    const done = await transfer(
      await wholeSource(),
      await target((received) => ({
        key: 'data.bin',
        status: 'completed',
        size: received.length,
        checksum: `md5:${createHash('md5').update(received).digest('hex')}`,
      })),
    );
    expect(done).toEqual({ bytes: CONTENT.length, checksum: MD5 });
  });

  test('a target port that does not confirm a checksum fails the file for good, naming it', async () => {
    const failed = await transfer(
      await wholeSource(),
      await target((received) => ({ key: 'data.bin', status: 'completed', size: received.length })),
    );
    expect(failed).toBeInstanceOf(PortError);
    expect((failed as PortError).transient).toBe(false);
    expect((failed as PortError).message).toBe(
      'zenodo did not confirm the file with its md5 checksum.',
    );
  });

  test('a download that breaks off is a transient failure of the source', async () => {
    const breaking = await serve('webdav', SOURCE, (_req, res) => {
      res.writeHead(200, { 'content-length': String(CONTENT.length) });
      res.write(CONTENT.subarray(0, 1000), () => res.destroy());
    });
    const failed = await transfer(
      breaking,
      await target(() => ({ key: 'data.bin', status: 'completed' })),
    );
    expect(failed).toBeInstanceOf(PortError);
    expect((failed as PortError).transient).toBe(true);
    expect((failed as PortError).message).toBe('The download from webdav broke off.');
  });
});

describe('a refusal of the repository', () => {
  test('is never tried again, and the user reads the repository’s own reason', async () => {
    let uploads = 0;
    const refusing = await serve('zenodo', TARGET, (req, res) => {
      uploads++;
      req.resume();
      req.on('end', () => {
        res.writeHead(422, { 'content-type': 'application/problem+json' });
        res.end(
          JSON.stringify({ detail: 'zenodo refused "data.bin": Empty files are not accepted.' }),
        );
      });
    });
    const failed = await transferRetried(
      {
        source: { port: 'webdav', client: await wholeSource(), path: '/data.bin' },
        target: { port: 'zenodo', client: refusing, recordId: 'r1', key: 'data.bin' },
        size: CONTENT.length,
        algorithm: 'md5',
        signal: new AbortController().signal,
      },
      { attempts: 5, baseDelayMs: 1, maxDelayMs: 1 },
    ).catch((error: unknown) => error);
    expect(failed).toBeInstanceOf(PortError);
    expect((failed as PortError).transient).toBe(false);
    expect((failed as PortError).message).toBe(
      'zenodo refused "data.bin": Empty files are not accepted.',
    );
    expect(uploads).toBe(1);
  });
});

describe('reading for progress and proof', () => {
  test('the bytes read are counted as they go, every byte once, and the upload gets them all', async () => {
    const meter = { bytes: 0 };
    const to = await target((received) => ({
      key: 'data.bin',
      status: 'completed',
      size: received.length,
      checksum: `md5:${createHash('md5').update(received).digest('hex')}`,
    }));
    const done = await transferOnce({
      source: { port: 'webdav', client: await wholeSource(), path: '/data.bin' },
      target: { port: 'zenodo', client: to, recordId: 'r1', key: 'data.bin' },
      size: CONTENT.length,
      algorithm: 'md5',
      signal: new AbortController().signal,
      meter,
    });
    expect(done).toEqual({ bytes: CONTENT.length, checksum: MD5 });
    expect(meter.bytes).toBe(CONTENT.length);
  });

  test('a checksum computed by reading the source, sending nothing', async () => {
    const meter = { bytes: 0 };
    const read = {
      source: { port: 'webdav', client: await wholeSource(), path: '/data.bin' },
      size: CONTENT.length,
      signal: new AbortController().signal,
      meter,
    };
    expect(await checksumOnce(read, 'md5')).toBe(MD5);
    expect(meter.bytes).toBe(CONTENT.length);
  });
});
