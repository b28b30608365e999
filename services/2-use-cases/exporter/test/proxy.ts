/**
 * An HTTP proxy between the exporter and a target port that counts completed uploads per key
 * and injects faults into uploads: a 500, a 429 with Retry-After, a reset connection, a slow
 * answer.
 */
import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Fault = 'status-500' | 'status-429' | 'reset' | 'slow';

export interface Proxy {
  url: string;
  /** Uploads the target answered 201, per key. */
  completed: Map<string, number>;
  /** Faults to inject into the next uploads, one per upload, in order. */
  faults: Fault[];
  injected: Fault[];
  close: () => Promise<void>;
}

const isUpload = (req: IncomingMessage) => req.method === 'PUT' && /\/file\?/.test(req.url ?? '');

export async function startProxy(targetUrl: string): Promise<Proxy> {
  const target = new URL(targetUrl);
  const proxy: Omit<Proxy, 'url' | 'close'> = { completed: new Map(), faults: [], injected: [] };

  const forward = (req: IncomingMessage, res: ServerResponse) => {
    const upstream = request(
      {
        host: target.hostname,
        port: target.port,
        method: req.method,
        path: req.url,
        headers: req.headers,
      },
      (answer) => {
        if (isUpload(req) && answer.statusCode === 201) {
          const key = new URL(req.url ?? '', targetUrl).searchParams.get('key') ?? '';
          proxy.completed.set(key, (proxy.completed.get(key) ?? 0) + 1);
        }
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  };

  const server = createServer((req, res) => {
    const fault = isUpload(req) ? proxy.faults.shift() : undefined;
    if (fault) proxy.injected.push(fault);
    switch (fault) {
      case 'status-500':
        req.resume();
        return res.writeHead(500, { 'content-type': 'text/plain' }).end('injected');
      case 'status-429':
        req.resume();
        return res.writeHead(429, { 'retry-after': '1' }).end();
      case 'reset':
        // Part of the body arrives, then the connection breaks.
        return req.once('data', () => req.socket.destroy());
      case 'slow':
        return void setTimeout(() => forward(req, res), 1500);
      default:
        return forward(req, res);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  // The same object the server reads, so that tests set its faults.
  return Object.assign(proxy, {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
}
