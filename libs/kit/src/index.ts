/**
 * The RDS service kit. A service is an OpenAPI document, a handler per operation and a
 * definition; the kit adds routing, validation, metadata, health, metrics, tracing, context,
 * problems, service authentication, an outbound client, configuration and clean shutdown.
 */
export { createService, envName, REPOSITORY, settingsSchemaOf } from './service.ts';
export { STREAMING_NODE_FLAGS, tuneForStreaming } from './streaming.ts';
export type {
  CreateOptions,
  Handler,
  Service,
  AnyServiceDefinition,
  Callees,
  ClientsOf,
  ServiceDefinition,
  SecurityHandler,
  ServiceParts,
  SetupContext,
} from './service.ts';
export { loadSettings, readSettings, ConfigError, KIT_SETTINGS } from './config.ts';
export type { KitSettings, SettingsOf, SettingsSchema } from './config.ts';
export { HttpClient } from './client.ts';
export type { CallOptions, ClientOptions, Response } from './client.ts';
export { backoffDelay, isNetworkFailure, parseRetryAfter, retry } from './retry.ts';
export type { RetryPolicy } from './retry.ts';
export { actingUser, createTokenSigner, createTokenVerifier, MAX_TOKEN_LIFETIME } from './auth.ts';
export type { ServiceTokenClaims, TokenRequest } from './auth.ts';
export { currentContext, runWithContext, DEFAULT_TENANT } from './context.ts';
export type { CallContext } from './context.ts';
export { ProblemError, UpstreamError, PROBLEM_CONTENT_TYPE } from './problems.ts';
export type { Problem, ProblemInit, FieldError } from './problems.ts';
export type { ReadinessCheck } from './health.ts';
export { loadContract, operations } from './contract.ts';
export type {
  Contract,
  Handlers,
  OperationHandler,
  OperationsOf,
  ReplyOf,
  RequestOf,
  SomeHandlers,
} from './operations.ts';
export { withDefaults } from './operations.ts';
export { ContractClient } from './contract-client.ts';
export type { CallInput } from './contract-client.ts';
export { apiReferencePage, DOCS_ASSETS } from './docs.ts';
export type { OpenApiDocument, Operation } from './contract.ts';
export { startTracing, stopTracing } from './tracing.ts';
export { serve, stopOnSignals } from './run.ts';
