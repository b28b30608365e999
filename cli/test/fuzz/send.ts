/**
 * Sends one request with node:http (exactly the bytes given, nothing added) and reads at most
 * a bounded answer: a service that echoes a huge input back is a failure, not a hang.
 */
import { request } from 'node:http';

export interface Answer {
  status: number;
  contentType: string;
  /** Bytes in the body, counted up to the read limit (then one more: over the limit). */
  size: number;
  /** The body's start, for the failure report and for ids in valid answers. */
  text: string;
  etag: string | undefined;
  setCookies: string[];
  nosniff: boolean;
  /** From sending to the end of the answer. */
  seconds: number;
}

export interface Sent {
  url: string;
  method: string;
  headers: Record<string, string>;
  body?: string | Buffer;
}

const TIMEOUT_MS = 15_000;
/** Read no more of an answer than this. */
export const READ_LIMIT = 1024 * 1024;
export const KEPT_TEXT = 64 * 1024;

export function send({ url, method, headers, body }: Sent): Promise<Answer> {
  const began = performance.now();
  return new Promise((resolve, reject) => {
    // A connection of its own: a connection the service closed after an answer cannot fail the next.
    const options = {
      method,
      headers: withLength(headers, body),
      timeout: TIMEOUT_MS,
      agent: false,
    };
    const req = request(url, options, (res) => {
      const contentType = String(res.headers['content-type'] ?? '');
      const chunks: Buffer[] = [];
      let size = 0;
      const done = () =>
        resolve({
          status: res.statusCode ?? 0,
          contentType,
          size,
          text: Buffer.concat(chunks).toString('utf8').slice(0, KEPT_TEXT),
          etag: res.headers.etag,
          setCookies: res.headers['set-cookie'] ?? [],
          nosniff: res.headers['x-content-type-options'] === 'nosniff',
          seconds: (performance.now() - began) / 1000,
        });
      // An event stream stays open: its status and type are the answer.
      if (contentType.startsWith('text/event-stream')) {
        res.destroy();
        return done();
      }
      res.on('data', (chunk: Buffer) => {
        if (size < KEPT_TEXT) chunks.push(chunk);
        size += chunk.length;
        if (size > READ_LIMIT) res.destroy();
      });
      res.on('end', done);
      res.on('close', done);
      res.on('error', done);
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within ${TIMEOUT_MS} ms`)));
    req.on('error', reject);
    req.end(body);
  });
}

/** Node sends a GET's or DELETE's body unframed unless the length is given. */
function withLength(headers: Record<string, string>, body: string | Buffer | undefined) {
  if (body === undefined || 'content-length' in headers) return headers;
  return { ...headers, 'content-length': String(Buffer.byteLength(body)) };
}
