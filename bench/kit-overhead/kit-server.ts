/**
 * (b) The route as a kit service: routing and validation from the contract, metrics, tracing
 * (no exporter), context, problems and service-token auth, all as in production. The parent
 * sets the environment (secret, log level, port 0, no drain delay, no response validation).
 */
import { type ServiceDefinition } from '@rds/kit';
import { createService, loadSettings, stopTracing } from '@rds/kit/host';
import { serveForBench } from './child.ts';
import { CONTRACT, placeOrder, SERVICE_NAME, type OrderRequest } from './route.ts';

const definition: ServiceDefinition = {
  name: SERVICE_NAME,
  layer: 2,
  version: '0.0.0',
  contract: CONTRACT,
  setup: async () => ({
    handlers: {
      placeOrder: async (request) => placeOrder(request.body as OrderRequest),
    },
  }),
};

await serveForBench(async () => {
  const settings = loadSettings({ type: 'object', properties: {} });
  if (settings.RDS_VALIDATE_RESPONSES) throw new Error('RDS_VALIDATE_RESPONSES must be false here');
  if (settings.OTEL_EXPORTER_OTLP_ENDPOINT) throw new Error('tracing must run without exporter');
  const service = await createService(definition, settings);
  const url = await service.listen();
  return {
    url,
    stop: async () => {
      await service.close();
      await stopTracing();
    },
  };
});
