import { createHash, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createServer, request, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PassThrough, Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { meter, type Meter } from '../src/index.ts';

const CONTENT = randomBytes(200_000);
const chunksOf = (bytes: Buffer, size = 7_000) =>
  Array.from({ length: Math.ceil(bytes.length / size) }, (_, i) =>
    bytes.subarray(i * size, (i + 1) * size),
  );
const hex = (algorithm: string, bytes: Buffer) => createHash(algorithm).update(bytes).digest('hex');

/** Where metered bytes go: all of them, in order. */
function sink() {
  const chunks: Buffer[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk);
      done();
    },
  });
  return { stream, received: () => Buffer.concat(chunks) };
}

describe('a sender that keeps its promise', () => {
  test('its bytes pass unchanged, counted and hashed', async () => {
    const metered = meter(Readable.from(chunksOf(CONTENT)), {
      hashes: ['md5', 'sha256'],
      expectedLength: CONTENT.length,
    });
    const target = sink();
    await pipeline(metered, target.stream);
    expect(target.received().equals(CONTENT)).toBe(true);
    expect(metered.bytes).toBe(CONTENT.length);
    expect(metered.digest('md5')).toBe(hex('md5', CONTENT));
    expect(metered.digest('sha256')).toBe(hex('sha256', CONTENT));
    expect(metered.senderFailed.aborted).toBe(false);
  });

  test('without a promised length, whatever arrives is counted; nothing at all is 0 bytes', async () => {
    const metered = meter(Readable.from([]), { hashes: ['sha256'] });
    await pipeline(metered, sink().stream);
    expect(metered.bytes).toBe(0);
    expect(metered.digest('sha256')).toBe(hex('sha256', Buffer.alloc(0)));
  });
});

describe('a sender that does not', () => {
  test('one that ends short fails the meter, saying how many bytes came of how many', async () => {
    const metered = meter(Readable.from(chunksOf(CONTENT.subarray(0, 50_000))), {
      expectedLength: CONTENT.length,
    });
    await expect(pipeline(metered, sink().stream)).rejects.toThrow(
      `the upload ended after 50000 of the ${CONTENT.length} bytes it promised`,
    );
    expect(metered.bytes).toBe(50_000);
    expect(metered.senderFailed.aborted).toBe(true);
  });

  test('one that runs past its length fails the meter before the extra bytes are passed on', async () => {
    const metered = meter(Readable.from(chunksOf(CONTENT)), { expectedLength: 100_000 });
    const target = sink();
    await expect(pipeline(metered, target.stream)).rejects.toThrow(
      'the upload ran past the 100000 bytes it promised',
    );
    expect(target.received().length).toBeLessThanOrEqual(100_000);
    expect(metered.senderFailed.aborted).toBe(true);
  });

  test('one that fails destroys the meter with its own error, even with nobody reading yet', async () => {
    const source = new PassThrough();
    const metered = meter(source, { expectedLength: CONTENT.length });
    source.write(CONTENT.subarray(0, 1000));
    const reset = Object.assign(new Error('aborted'), { code: 'ECONNRESET' });
    source.destroy(reset);
    await new Promise((closed) => metered.once('close', closed));
    expect(metered.destroyed).toBe(true);
    expect(metered.senderFailed.reason).toBe(reset);
  });

  test('one that closes without an error destroys the meter as a premature close', async () => {
    const source = new PassThrough();
    const metered = meter(source);
    const target = sink();
    const sent = pipeline(metered, target.stream);
    source.write(CONTENT.subarray(0, 1000));
    await vi.waitFor(() => expect(metered.bytes).toBe(1000));
    source.destroy();
    await expect(sent).rejects.toMatchObject({
      message: 'the sender stopped after 1000 bytes',
      code: 'ERR_STREAM_PREMATURE_CLOSE',
    });
    expect(metered.senderFailed.aborted).toBe(true);
  });
});

describe('over HTTP', () => {
  let server: Server | undefined;
  afterEach(() => server?.close());

  /** A server whose handler is given each upload's body, and answers what it returns. */
  async function serve(handle: (body: IncomingMessage) => Promise<number>): Promise<string> {
    server = createServer((incoming, answer) => {
      void handle(incoming).then((status) => answer.writeHead(status).end());
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  }

  test('a caller that goes away mid-upload destroys the meter, so the upload it feeds stops', async () => {
    let metered: Meter | undefined;
    const url = await serve(async (body) => {
      metered = meter(body, { expectedLength: CONTENT.length });
      return pipeline(metered, sink().stream).then(
        () => 201,
        () => 400,
      );
    });
    const upload = request(url, {
      method: 'PUT',
      headers: { 'content-length': String(CONTENT.length) },
    });
    upload.on('error', () => undefined);
    upload.write(CONTENT.subarray(0, 1000));
    await vi.waitFor(() => expect(metered?.bytes).toBe(1000));
    upload.destroy();
    await vi.waitFor(() => expect(metered?.senderFailed.aborted).toBe(true));
    expect(metered?.destroyed).toBe(true);
    expect(metered?.senderFailed.reason).toMatchObject({ code: 'ECONNRESET' });
  });

  test('when whatever reads the meter stops, the rest of the upload passes and its caller gets the answer', async () => {
    const url = await serve(async (body) => {
      const metered = meter(body, { expectedLength: CONTENT.length });
      // A target that refuses the file after its first bytes, as a full disk would.
      const refusing = new Writable({
        write: (_chunk, _encoding, done) => done(new Error('no space left')),
      });
      await pipeline(metered, refusing).catch(() => undefined);
      // Read by nobody, the rest would hold the connection, and this answer, for ever.
      if (!body.readableEnded) await once(body, 'end');
      return metered.senderFailed.aborted ? 400 : 507;
    });
    const status = await new Promise<number>((resolve, reject) => {
      const upload = request(url, { method: 'PUT' }, (answer) => resolve(answer.statusCode!));
      upload.on('error', reject);
      upload.end(CONTENT);
    });
    expect(status).toBe(507);
  });
});
