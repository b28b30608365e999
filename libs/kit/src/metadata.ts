import type { FastifyInstance } from 'fastify';

/** apikit service metadata; every field is a string. */
export interface ServiceMetadata {
  name: string;
  version: string;
  description: string;
  api_version: string;
  repository: string;
  /** The kind of authentication, never a credential: `none` or `service-token`. */
  auth: string;
}

/**
 * The apikit metadata at the four paths clients know, and `GET /` for load balancers unless
 * the service serves `/` itself (`root: false`).
 */
export function registerMetadata(
  app: FastifyInstance,
  metadata: ServiceMetadata,
  { root }: { root: boolean },
): void {
  const opts = { config: { infrastructure: true } };
  const body = JSON.stringify(metadata);
  const paths = [
    '/metadata',
    '/metadata.json',
    `/v${metadata.api_version}/metadata`,
    `/v${metadata.api_version}/metadata.json`,
  ];
  for (const path of paths) {
    app.get(path, opts, async (_request, reply) => reply.type('application/json').send(body));
  }
  if (!root) return;
  app.get('/', opts, async (_request, reply) =>
    reply.type('application/json').send('{"status":"ok"}'),
  );
}
