import { createHash } from 'node:crypto';
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { S3Client } from '@aws-sdk/client-s3';
import { NodeHttpHandler } from '@smithy/node-http-handler';

export interface Endpoint {
  /** An S3-compatible server; unset for AWS, where the region decides. */
  url?: string;
  region: string;
  forcePathStyle: boolean;
  /** For connecting, and for a connection that stays silent. */
  timeoutMs: number;
}

const TTL_MS = 5 * 60_000;
const MAX_CLIENTS = 1000;

/**
 * S3 clients, one per access key, kept briefly: a client is costly to build, and a burst of calls
 * for one user needs one. All share one connection pool, so a client let go needs no closing, and
 * a download still streaming through it is never cut.
 */
export class S3Clients {
  private readonly endpoint: Endpoint;
  private readonly handler: NodeHttpHandler;
  private readonly cached = new Map<string, { client: S3Client; until: number }>();

  constructor(endpoint: Endpoint) {
    this.endpoint = endpoint;
    const agent = { keepAlive: true, maxSockets: 64 };
    this.handler = new NodeHttpHandler({
      httpAgent: new HttpAgent(agent),
      httpsAgent: new HttpsAgent(agent),
      connectionTimeout: endpoint.timeoutMs,
      socketTimeout: endpoint.timeoutMs,
    });
  }

  of(accessKeyId: string, secretAccessKey: string): S3Client {
    const key = createHash('sha256')
      .update(`${accessKeyId}\0${secretAccessKey}`)
      .digest('base64url');
    const now = Date.now();
    const cached = this.cached.get(key);
    if (cached && cached.until > now) return cached.client;
    for (const [k, entry] of this.cached) if (entry.until <= now) this.cached.delete(k);
    if (this.cached.size >= MAX_CLIENTS) this.cached.delete(this.cached.keys().next().value!);
    const client = this.create(accessKeyId, secretAccessKey);
    this.cached.set(key, { client, until: now + TTL_MS });
    return client;
  }

  close(): void {
    this.cached.clear();
    this.handler.destroy();
  }

  private create(accessKeyId: string, secretAccessKey: string): S3Client {
    const { url, region, forcePathStyle } = this.endpoint;
    return new S3Client({
      region,
      forcePathStyle,
      // Given explicitly, so the SDK never falls back to the server's own AWS identity.
      credentials: { accessKeyId, secretAccessKey },
      requestHandler: this.handler,
      ...(url
        ? {
            endpoint: url,
            // The SDK's default upload checksums travel as aws-chunked bodies with trailers, which
            // S3-compatible servers (s3rver, older MinIO and Ceph) store as content or refuse.
            requestChecksumCalculation: 'WHEN_REQUIRED' as const,
          }
        : {}),
    });
  }
}
