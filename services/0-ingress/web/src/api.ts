import type { FastifyRequest } from 'fastify';
import { serviceContract } from '@rds/contracts';
import type { operations } from '@rds/contracts/generated/web';
import type { ClientsOf, SomeHandlers } from '@rds/kit';
import { connectionHandlers } from './connections.ts';
import { contextHandlers } from './contexts.ts';
import { exportHandlers } from './exports.ts';
import { metadataHandlers } from './metadata.ts';

/** The layer-2 services the UI's API calls: the UI's API is theirs, seen through the user's session. */
export const CALLS = {
  research: serviceContract('research'),
  'port-service': serviceContract('port-service'),
  metadata: serviceContract('metadata'),
  exporter: serviceContract('exporter'),
};

type ApiOperation = Exclude<keyof operations, 'login' | 'loginCallback' | 'logout'>;

export interface ApiOptions {
  layer2: ClientsOf<typeof CALLS>;
  /** This site's address as the user's browser knows it. */
  publicUrl: (request: FastifyRequest) => string;
  signIn: 'oidc' | 'local';
}

export function apiHandlers({
  layer2,
  publicUrl,
  signIn,
}: ApiOptions): SomeHandlers<operations, ApiOperation> {
  return {
    getSession: async (request) => {
      const { user, name, tenant, csrfToken } = request.session!;
      return { user: { id: user, name }, tenant, csrfToken, signIn };
    },
    ...connectionHandlers(layer2['port-service'], publicUrl),
    ...contextHandlers(layer2.research),
    ...metadataHandlers(layer2.metadata),
    ...exportHandlers(layer2.exporter),
  };
}
