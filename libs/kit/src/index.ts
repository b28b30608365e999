/**
 * The RDS service kit. A service is an OpenAPI document, a handler per operation and a
 * definition; the kit adds routing, validation, metadata, health, metrics, tracing, context,
 * problems, service authentication, an outbound client, configuration and clean shutdown.
 * What it exports is what services and the `rds` command use; the rest stays inside.
 */

// A service: its definition, typed by its contract, and how it runs.
export { createService, defineService, envName, settingsSchemaOf } from './service.ts';
export type {
  AnyServiceDefinition,
  Callees,
  ClientsOf,
  Resource,
  SecurityHandler,
  Service,
  ServiceDefinition,
  ServiceParts,
  SetupContext,
} from './service.ts';
export { serve, stopOnSignals } from './run.ts';
export { STREAMING_NODE_FLAGS, tuneForStreaming } from './streaming.ts';
export type { ReadinessCheck } from './health.ts';
export type { PortClient } from './ports-by-name.ts';
export { LAYER_CALLS, forbiddenCall } from './layers.ts';
export type { Layer } from './layers.ts';

// Contracts: operations as types, handlers and clients checked against them.
export { loadContract, operations } from './contract.ts';
export type { OpenApiDocument } from './contract.ts';
export { withDefaults } from './operations.ts';
export type {
  Contract,
  Handlers,
  OperationHandler,
  OperationsOf,
  ReplyOf,
  RequestOf,
  SomeHandlers,
} from './operations.ts';
export { ContractClient } from './contract-client.ts';
export type { CallInput } from './contract-client.ts';
export { handBack, ifMatchOf } from './hand-back.ts';

// Settings.
export { loadSettings, readSettings, ConfigError, KIT_SETTINGS } from './config.ts';
export type { KitSettings, SettingsOf, SettingsSchema } from './config.ts';

// Calls out, and retries.
export { HttpClient } from './client.ts';
export type { CallOptions, ClientOptions, Relayed, Response } from './client.ts';
export { backoffDelay, isNetworkFailure, parseRetryAfter, retry } from './retry.ts';
export type { RetryPolicy } from './retry.ts';

// Who calls, for whom; problems.
export { actingUser, createTokenSigner, MAX_TOKEN_LIFETIME } from './auth.ts';
export { currentContext, runWithContext, DEFAULT_TENANT } from './context.ts';
export { ProblemError, UpstreamError } from './problems.ts';
export type { Problem, FieldError } from './problems.ts';

export { startTracing, stopTracing } from './tracing.ts';
// The API reference pages (docs/build.ts writes them for docs/api/).
export { apiReferencePage, DOCS_ASSETS } from './docs.ts';
