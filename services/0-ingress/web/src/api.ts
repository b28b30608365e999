import type { ServerResponse } from 'node:http';
import type { FastifyReply, FastifyRequest } from 'fastify';
import {
  ProblemError,
  UpstreamError,
  type CallOptions,
  type Handler,
  type HttpClient,
  type Response,
} from '@rds/kit';
import { callFor, pathOf, relay } from './relay.ts';
import { sessionBinding, type Session } from './session.ts';

/** The layer-2 services the UI's API calls, by name. */
export type Layer2 = Record<'research' | 'port-service' | 'metadata' | 'exporter', HttpClient>;

type Method = NonNullable<CallOptions['method']>;

/**
 * API operations that are one call to layer 2, as `[service, method, path]`: the UI's API is
 * layer 2's, seen through the user's session.
 */
const PASSED_ON: Record<string, [keyof Layer2, Method, string]> = {
  listServices: ['port-service', 'GET', '/services'],
  connectWithCredentials: ['port-service', 'PUT', '/services/{servicename}/credentials'],
  disconnect: ['port-service', 'DELETE', '/services/{servicename}/connection'],
  listFolder: ['research', 'GET', '/storage/{servicename}/folder'],
  listContexts: ['research', 'GET', '/contexts'],
  createContext: ['research', 'POST', '/contexts'],
  getContext: ['research', 'GET', '/contexts/{contextId}'],
  updateContext: ['research', 'PATCH', '/contexts/{contextId}'],
  deleteContext: ['research', 'DELETE', '/contexts/{contextId}'],
  restoreContext: ['research', 'POST', '/contexts/{contextId}/restore'],
  changeStatus: ['research', 'PUT', '/contexts/{contextId}/status'],
  addSource: ['research', 'POST', '/contexts/{contextId}/sources'],
  updateSource: ['research', 'PATCH', '/contexts/{contextId}/sources/{sourceId}'],
  removeSource: ['research', 'DELETE', '/contexts/{contextId}/sources/{sourceId}'],
  addTarget: ['research', 'POST', '/contexts/{contextId}/targets'],
  updateTarget: ['research', 'PATCH', '/contexts/{contextId}/targets/{targetId}'],
  removeTarget: ['research', 'DELETE', '/contexts/{contextId}/targets/{targetId}'],
  listRuns: ['research', 'GET', '/contexts/{contextId}/runs'],
  getRun: ['research', 'GET', '/contexts/{contextId}/runs/{runId}'],
  listRunFiles: ['research', 'GET', '/contexts/{contextId}/runs/{runId}/files'],
  getMetadataSchema: ['metadata', 'GET', '/schema'],
  checkMetadata: ['metadata', 'POST', '/checks'],
  readCrate: ['metadata', 'POST', '/ro-crate/read'],
  startExport: ['exporter', 'POST', '/exports'],
  getExport: ['exporter', 'GET', '/exports/{runId}'],
  cancelExport: ['exporter', 'POST', '/exports/{runId}/cancel'],
};

/** What a provider's answer to an authorization request holds that port-service takes. */
const CALLBACK_PARAMETERS = ['state', 'code', 'error', 'error_description'] as const;

export interface ApiOptions {
  layer2: Layer2;
  /** A client for the exporter's event streams, which stay open as long as an export runs. */
  events: HttpClient;
  /** This site's address as the user's browser knows it. */
  publicUrl: (request: FastifyRequest) => string;
  signIn: 'oidc' | 'local';
}

const sessionOf = (request: FastifyRequest): Session => request.session!;

export function apiHandlers({
  layer2,
  events,
  publicUrl,
  signIn,
}: ApiOptions): Record<string, Handler> {
  const passedOn = Object.entries(PASSED_ON).map(([operationId, [service, method, path]]) => [
    operationId,
    (request: FastifyRequest, reply: FastifyReply) =>
      relay(layer2[service], callFor(method, path, request), reply),
  ]);
  return {
    ...Object.fromEntries(passedOn),

    getSession: async (request) => {
      const { user, name, tenant, csrfToken } = sessionOf(request);
      return { user: { id: user, name }, tenant, csrfToken, signIn };
    },

    startAuthorization: (request, reply) =>
      relay(
        layer2['port-service'],
        {
          method: 'POST',
          path: pathOf('/services/{servicename}/authorizations', request),
          json: {
            redirectUri: `${publicUrl(request)}/connect/callback`,
            session: sessionBinding(sessionOf(request)),
          },
        },
        reply,
      ),

    connectCallback: async (request, reply) => {
      const query = request.query as Record<string, string | undefined>;
      // Only what OAuth2 sends back (RFC 6749 4.1.2): providers add more, such as `iss` (RFC 9207)
      // or Keycloak's `session_state`, which port-service does not take.
      const sent = CALLBACK_PARAMETERS.flatMap((name) =>
        query[name] === undefined ? [] : [[name, query[name]] as const],
      );
      const answer = new URLSearchParams();
      try {
        const { body: connected } = await layer2['port-service'].relay<{ servicename: string }>({
          method: 'POST',
          path: '/authorizations/callback',
          json: { ...Object.fromEntries(sent), session: sessionBinding(sessionOf(request)) },
        });
        answer.set('connected', connected!.servicename);
      } catch (error) {
        answer.set('error', error instanceof ProblemError ? error.message : 'Connecting failed.');
      }
      return reply.redirect(`/#/services?${answer}`);
    },

    streamExport: async (request, reply) => {
      // Asked first, so that a refusal (an unknown run, say) is answered like any other.
      await layer2.exporter.relay(callFor('GET', '/exports/{runId}', request));
      const upstream = await events.request(callFor('GET', '/exports/{runId}/events', request));
      if (upstream.status !== 200) {
        await upstream.body.dump();
        throw new UpstreamError('exporter', upstream.status);
      }
      reply.hijack();
      pipeEvents(request, reply.raw, upstream);
    },
  };
}

/** The exporter's event stream, passed on to the browser until either side stops. */
function pipeEvents(request: FastifyRequest, browser: ServerResponse, upstream: Response): void {
  browser.writeHead(200, {
    'content-type': 'text/event-stream',
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    'x-request-id': request.id,
  });
  request.raw.on('close', () => upstream.body.destroy());
  upstream.body.on('error', () => browser.end());
  upstream.body.pipe(browser);
}
