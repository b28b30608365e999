import type { ServerResponse } from 'node:http';
import type { FastifyRequest } from 'fastify';
import {
  handBack,
  UpstreamError,
  type ContractClient,
  type Response,
  type SomeHandlers,
} from '@rds/kit';
import type { operations } from '@rds/contracts/generated/web';
import type { operations as ExporterOperations } from '@rds/contracts/generated/exporter';

type Exporter = ContractClient<ExporterOperations>;

/** Exports: started, followed (now, or as events while they run) and cancelled at the exporter. */
export function exportHandlers(
  exporter: Exporter,
): SomeHandlers<operations, 'startExport' | 'getExport' | 'streamExport' | 'cancelExport'> {
  return {
    startExport: async (request, reply) =>
      handBack(reply, await exporter.call('startExport', { json: request.body })),
    getExport: async (request, reply) =>
      handBack(
        reply,
        await exporter.call('getExport', { params: request.params, query: request.query }),
      ),
    cancelExport: async (request, reply) =>
      handBack(reply, await exporter.call('cancelExport', { params: request.params })),

    streamExport: async (request, reply) => {
      const run = { params: request.params, query: request.query };
      // Asked first, so that a refusal (an unknown run, say) is answered like any other.
      await exporter.call('getExport', run);
      // An export's events flow as long as it runs: no time limit between them, no retries.
      const upstream = await exporter.stream('streamExport', {
        ...run,
        timeoutMs: 0,
        retry: { attempts: 1 },
      });
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
