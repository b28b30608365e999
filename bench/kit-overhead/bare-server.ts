/** (a) The route on bare Fastify: no logger, a JSON Schema for the body, nothing else. */
import Fastify from 'fastify';
import { serveForBench } from './child.ts';
import { placeOrder, requestSchema, responseSchema, ROUTE, type OrderRequest } from './route.ts';

await serveForBench(async () => {
  const app = Fastify({ logger: false });
  // Diagnostic only: the kit serializes with the contract's response schema (fast-json-stringify);
  // BENCH_BARE_RESPONSE_SCHEMA=1 gives bare Fastify the same advantage.
  const response = process.env.BENCH_BARE_RESPONSE_SCHEMA === '1' ? { 200: responseSchema } : {};
  app.post(ROUTE, { schema: { body: requestSchema, response } }, async (request) =>
    placeOrder(request.body as OrderRequest),
  );
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  return { url, stop: () => app.close() };
});
