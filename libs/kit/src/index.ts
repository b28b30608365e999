/**
 * The RDS service kit for service authors. A service is an OpenAPI document, a handler per
 * operation and one declaration (`defineService`); the kit adds routing, validation, metadata,
 * health, metrics, tracing, context, problems, service authentication, typed clients,
 * configuration and clean shutdown. What runs services (`rds`, deploy, docs) is `@rds/kit/host`;
 * what tests use is `@rds/kit/testing`.
 */

// A service: its declaration, typed by its contract.
export { defineService } from './service.ts';
export { envName } from './outbound.ts';
export type {
  Callees,
  ClientsOf,
  Resource,
  SecurityHandler,
  ServiceDefinition,
  ServiceParts,
  SetupContext,
} from './service.ts';
export type { ReadinessCheck } from './health.ts';
export type { PortClient } from './ports-by-name.ts';
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
export { readSettings, ConfigError } from './config.ts';
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
