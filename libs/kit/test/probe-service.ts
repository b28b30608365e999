/** A small kit service used by the kit's own tests: two of them call each other. */
import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import type { FastifyRequest } from 'fastify';
import {
  currentContext,
  ProblemError,
  type Callees,
  type Contract,
  type ServiceDefinition,
} from '../src/index.ts';
import { currentTraceId } from '../src/tracing.ts';

const CONTRACT = fileURLToPath(new URL('./fixtures/probe.yaml', import.meta.url));

function seen(request: FastifyRequest, body?: unknown) {
  const ctx = currentContext();
  const headers = Object.fromEntries(
    ['traceparent', 'x-tenant', 'x-request-id']
      .filter((h) => typeof request.headers[h] === 'string')
      .map((h) => [h, request.headers[h] as string]),
  );
  return {
    tenant: ctx?.tenant ?? '',
    requestId: ctx?.requestId ?? '',
    ...(ctx?.caller ? { caller: ctx.caller } : {}),
    ...(ctx?.user ? { user: ctx.user } : {}),
    ...(currentTraceId() ? { traceId: currentTraceId() } : {}),
    ...(body ? { body } : {}),
    headers,
  };
}

export type Probe = ServiceDefinition<Record<string, string>, unknown, Callees>;

/** A probe named `name`, whose relay calls the probe named `peer` (found at `RDS_<PEER>_URL`). */
export function probe(name: string, peer?: string): Probe {
  const failuresSeen = new Map<string, number>();
  return {
    name,
    layer: 2,
    version: '1.2.3',
    contract: CONTRACT,
    settings: {
      type: 'object',
      properties: { PROBE_ANONYMOUS_OPERATIONS: { type: 'string' } },
    },
    calls: peer ? { [peer]: CONTRACT as Contract } : {},
    setup: async ({ clients, settings }) => {
      const peerClient = peer ? clients[peer]!.http : undefined;
      return {
        anonymousOperations: settings.PROBE_ANONYMOUS_OPERATIONS?.split(',') ?? [],
        handlers: {
          echo: async (request) => seen(request, request.body),
          addNote: async (request) => seen(request, request.body),
          getItem: async (request) => {
            const { id } = request.params as { id: number };
            if (id > 100)
              throw new ProblemError(404, {
                detail: `There is no item ${id}.`,
                messageKey: 'item.notFound',
                args: { id },
              });
            return { id };
          },
          deleteItem: async (_request, reply) => reply.code(204).send(),
          listContextFiles: async (request) => ({
            url: request.url,
            params: request.params,
            query: request.query,
          }),
          slow: async (request) => {
            await sleep((request.query as { ms: number }).ms);
            return { waited: (request.query as { ms: number }).ms };
          },
          fail: async () => {
            throw new Error('database password hunter2 leaked at /srv/app/secret.ts:42');
          },
          brokenResponse: async () => ({ state: 'deleted' }),
          relay: async (request) => {
            if (!peerClient) throw new Error('no peer');
            return peerClient.json({ path: (request.query as { path: string }).path });
          },
          seen: async (request) => seen(request),
          flaky: async (request, reply) => {
            const { key, failures, status, retryAfter } = request.query as {
              retryAfter: string;
              key: string;
              failures: number;
              status: number;
            };
            const count = (failuresSeen.get(key) ?? 0) + 1;
            failuresSeen.set(key, count);
            if (count <= failures) {
              return reply
                .code(status)
                .header('retry-after', retryAfter)
                .type('application/problem+json')
                .send({
                  type: 'about:blank',
                  title: 'Unavailable',
                  status,
                  detail: `upstream body with internals ${key}`,
                  instance: '/flaky',
                  messageKey: 'flaky',
                });
            }
            return { calls: count };
          },
          open: async () => ({ open: true }),
          putBlob: async (request) => {
            const hash = createHash('sha256');
            let bytes = 0;
            for await (const chunk of request.body as Readable) {
              bytes += (chunk as Buffer).length;
              hash.update(chunk as Buffer);
            }
            return { bytes, sha256: hash.digest('hex') };
          },
        },
      };
    },
  };
}
