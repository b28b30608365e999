/**
 * What runs services rather than writes them: `rds start` and `rds serve`, deploy, the API
 * reference and the benchmarks use it. A service author needs none of it: `@rds/kit`.
 */
export { createService, serviceSettings, settingsSchemaOf } from './service.ts';
export type { AnyServiceDefinition, CreateOptions, Service } from './service.ts';
export { serve, stopOnSignals } from './run.ts';
export { KIT_SETTINGS, loadSettings } from './config.ts';
export { LAYER_CALLS, forbiddenCall } from './layers.ts';
export { HEALTH_ROUTES } from './health.ts';
export { STREAMING_NODE_FLAGS, tuneForStreaming } from './streaming.ts';
export { startTracing, stopTracing } from './tracing.ts';
export { apiReferencePage, DOCS_ASSETS } from './docs.ts';
