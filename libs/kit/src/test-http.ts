/**
 * A plain node:http client for tests: it sends exactly the headers given (no trace context
 * added behind the test's back, unlike fetch, which OpenTelemetry instruments).
 */
import { request } from 'node:http';

export interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json: <T = Record<string, unknown>>() => T;
}

export interface Ask {
  method?: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** Shorthand: a JSON body with its content type. */
  json?: unknown;
}

export function call(url: string, ask: Ask = {}): Promise<Answer> {
  const headers = { ...ask.headers };
  let body = ask.body;
  if (ask.json !== undefined) {
    body = JSON.stringify(ask.json);
    headers['content-type'] ??= 'application/json';
  }
  return new Promise((resolve, reject) => {
    const req = request(url, { method: ask.method ?? 'GET', headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          text,
          json: () => JSON.parse(text),
        });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}
