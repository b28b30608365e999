import { setTimeout as sleep } from 'node:timers/promises';
import Fastify, {
  LogController,
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyPluginAsync,
  type FastifyReply,
  type FastifyRequest,
} from 'fastify';
import responseValidation from '@fastify/response-validation';
import FindMyWay from 'find-my-way';
import { Registry } from 'prom-client';
import { pino, type DestinationStream, type Logger } from 'pino';
import { createTokenSigner, createTokenVerifier, type TokenRequest } from './auth.ts';
import type { ClientOptions } from './client.ts';
import { loadSettings, type KitSettings, type SettingsOf, type SettingsSchema } from './config.ts';
import { jsonMediaTypes, loadContract, operations, type OpenApiDocument } from './contract.ts';
import { newRequestId, safeId, type CallContext } from './context.ts';
import { Lifecycle, registerHealth, type ReadinessCheck } from './health.ts';
import { loggerOptions } from './logging.ts';
import { registerDocs } from './docs.ts';
import { registerMetadata, type ServiceMetadata } from './metadata.ts';
import { registerMetrics, requestMetrics } from './metrics.ts';
import { clientErrorProblem, frameworkProblem, registerProblemHandlers } from './problems.ts';
import { installBodyParsers } from './bodies.ts';
import { registerRequestHooks } from './request-context.ts';
import { registerOperations } from './routes.ts';
import { envName, Outbound, type Callees, type ClientsOf } from './outbound.ts';
import type { PortClient } from './ports-by-name.ts';
import type { Layer, LayerChecked } from './layers.ts';
import type { AnyHandler, Contract, Handlers } from './operations.ts';
import { startTracing } from './tracing.ts';
import { installValidators, RESPONSE_AJV_OPTIONS } from './validation.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** Who calls, for which tenant and user, in which request. */
    rds: CallContext;
  }
  interface FastifyContextConfig {
    /** Kit routes (metadata, health, metrics): open, and left out of access logs. */
    infrastructure?: boolean;
  }
}

export type Handler = (request: FastifyRequest, reply: FastifyReply) => Promise<unknown>;

/**
 * The handlers a contract asks for: each of its operations, typed, when the contract's types are
 * known (`serviceContract(name)`); Fastify's own request and reply for a contract read from a
 * file alone.
 */
type HandlersFor<Operations> = unknown extends Operations
  ? Record<string, Handler>
  : Handlers<Operations>;

/** Checks one security scheme of the contract for a request; throws a {@link ProblemError} to refuse. */
export type SecurityHandler = (
  request: FastifyRequest,
  reply: FastifyReply,
  scopes: string[],
) => Promise<void>;

/** What a service's setup gives the kit: a handler per operationId, and its own parts. */
export interface ServiceParts<Operations = unknown> {
  handlers: HandlersFor<Operations>;
  readiness?: ReadinessCheck[];
  /** Operations that also take calls without a service token, e.g. registration in the embedded default. */
  anonymousOperations?: string[];
  /** Closes the service's own resources (pools, workers) after the last request. */
  close?: () => Promise<void>;
  /**
   * What a service needs beyond its contract, e.g. the web front end's cookies and static files:
   * Fastify plugins, registered before the contract's routes. A service that serves `GET /`
   * itself keeps it; it must answer at once, as the kit's own does for load balancers.
   */
  plugins?: FastifyPluginAsync[];
  /** Handlers for the contract's own security schemes; the kit checks `serviceToken`. */
  securityHandlers?: Record<string, SecurityHandler>;
}

/**
 * Something a service opens before its setup and closes after its own parts, and whose health is
 * the service's readiness: its database (`serviceDatabase` in `@rds/storage`).
 */
export interface Resource<T> {
  /** The settings it reads, beside the service's own. */
  settings: SettingsSchema;
  open(context: { service: string; settings: object; logger: Logger }): Promise<T>;
  /** Rejects while it cannot serve. */
  check(resource: T): Promise<unknown>;
  close(resource: T): Promise<void>;
}

export type { Callees, ClientsOf };

export interface SetupContext<S, Calls extends Callees = Callees, Database = undefined> {
  settings: KitSettings & S;
  /** The services its definition says it calls, found at `RDS_<SERVICE>_URL`. */
  clients: ClientsOf<Calls>;
  /** Its database, open and migrated, when its definition declares one. */
  database: Database;
  logger: Logger;
  /** Add the service's own metrics here. */
  metrics: Registry;
  /** For a service that `findsPortsByName`: typed clients for ports by name (ports-by-name.ts). */
  findPorts: (options?: Partial<ClientOptions>) => PortClient;
  /** Signs a service token as this service. */
  signToken: (request: Omit<TokenRequest, 'issuer'>) => string;
}

/** Everything that makes one RDS service; a service package exports one of these. */
export interface ServiceDefinition<
  S = object,
  Operations = unknown,
  Calls extends Callees = NoCalls,
  Database = undefined,
  L extends Layer = Layer,
> {
  name: string;
  /** 0 ingress, 1 ports, 2 use cases, 3 central (layers.ts). */
  layer: L;
  version: string;
  /** Its OpenAPI 3.1 document, with the types of its operations (`serviceContract(name)`). */
  contract: Contract<Operations>;
  /** The service's own settings, beyond the kit's. */
  settings?: SettingsSchema;
  /**
   * The RDS services it calls: each one's `RDS_<SERVICE>_URL` is a required setting, and setup
   * gets a typed client for it. Deployments allow it these calls and no others.
   */
  calls?: Calls;
  /**
   * Its database: the kit adds its settings, opens it before setup, reports it in readiness and
   * closes it after the service's own parts.
   */
  database?: Resource<Database>;
  /**
   * It calls ports by the names research contexts give them, found at `RDS_<PORT>_URL`, so a
   * deployment gives it the URL of every port, not only of the services its settings name.
   */
  findsPortsByName?: true;
  /**
   * It relays file contents: its process gets the garbage-collector settings for that
   * (`STREAMING_NODE_FLAGS` on its deployment's command line, `tuneForStreaming` when served:
   * streaming.ts).
   */
  streamsFiles?: true;
  // A method, not a property, so that every service's definition is a `ServiceDefinition`: the
  // lists of services (`rds start`, deploy) hold definitions of any settings and contract.
  setup(context: SetupContext<S, Calls, Database>): Promise<ServiceParts<Operations>>;
}

type NoCalls = Record<never, Contract<unknown>>;
type NoSettings = { type: 'object'; properties: Record<never, object> };

/**
 * Declares a service once: its settings' type is inferred from their schema, its handlers' from
 * its contract, its clients' from `calls`, its database's from `database`. A callee the layer
 * rules forbid, or a contract of another layer's service, fails to compile here (layers.ts).
 */
export function defineService<
  const Schema extends SettingsSchema = NoSettings,
  Operations = unknown,
  Calls extends Callees = NoCalls,
  Database = undefined,
  const L extends Layer = Layer,
>(
  definition: ServiceDefinition<SettingsOf<Schema>, Operations, Calls, Database, L> & {
    settings?: Schema;
    calls?: NoInfer<LayerChecked<L, Calls>>;
    /** Served in the layer it says: a contract of another layer's service does not compile. */
    contract: NoInfer<Contract<unknown, L>>;
  },
): ServiceDefinition<SettingsOf<Schema>, Operations, Calls, Database, L> {
  return definition;
}

/**
 * A service definition of any settings and contract, as lists of services hold them (`rds start`,
 * deploy): each was checked where it was written.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- erases what each definition checked
export type AnyServiceDefinition = ServiceDefinition<any, any, any, any>;

export interface Service {
  name: string;
  app: FastifyInstance;
  lifecycle: Lifecycle;
  settings: KitSettings;
  /** Starts listening; readiness turns true once the port is open. */
  listen: (port?: number) => Promise<string>;
  /** Readiness false, drain delay, in-flight requests finish, resources close; bounded in time. */
  close: () => Promise<void>;
}

export const REPOSITORY = 'https://github.com/research-data-services/rds';

export interface CreateOptions {
  /** Where log lines go; standard output by default. */
  logStream?: DestinationStream;
}

/** Builds a service from its definition and settings: the one way every RDS service is made. */
export async function createService<S, Operations, Calls extends Callees, Database>(
  definition: ServiceDefinition<S, Operations, Calls, Database>,
  settings: KitSettings & S,
  options: CreateOptions = {},
): Promise<Service> {
  const contract = await loadContract(definition.contract);
  startTracing({
    serviceName: definition.name,
    version: definition.version,
    otlpEndpoint: settings.OTEL_EXPORTER_OTLP_ENDPOINT,
  });
  const lifecycle = new Lifecycle();
  const app = Fastify({
    loggerInstance: pino(
      loggerOptions(definition.name, settings.LOG_LEVEL),
      options.logStream,
    ) as FastifyBaseLogger,
    bodyLimit: settings.RDS_BODY_LIMIT,
    logController: new LogController({ disableRequestLogging: true }),
    // One logger for all requests: the request id comes from the active context (logging.ts).
    childLoggerFactory: (logger) => logger,
    requestIdHeader: false,
    genReqId: (raw) => safeId(raw.headers['x-request-id']) ?? newRequestId(),
    return503OnClosing: true,
    forceCloseConnections: 'idle',
    // What Fastify and Node's parser refuse before any route is found leaves as problem+json too.
    frameworkErrors: frameworkProblem,
    clientErrorHandler: clientErrorProblem,
  });
  const routes = FindMyWay();
  app.addHook('onRoute', ({ method, url }) => {
    for (const m of [method].flat()) if (m !== 'HEAD') routes.on(m as 'GET', url, () => undefined);
  });
  installValidators(app);
  installBodyParsers(app, jsonMediaTypes(contract));
  const metrics = new Registry();
  registerRequestHooks(app, {
    serviceName: definition.name,
    lifecycle,
    recordRequest: requestMetrics(metrics),
  });
  registerProblemHandlers(app, (url) => allowedMethods(routes, url));
  registerMetrics(app, metrics, definition.name);
  if (settings.RDS_VALIDATE_RESPONSES)
    await app.register(responseValidation, { ajv: RESPONSE_AJV_OPTIONS });
  const signer = createTokenSigner(settings.RDS_SERVICE_SECRET);
  const outbound = new Outbound(definition, settings, signer);
  const logger = app.log as Logger;
  const database = await openDatabase(definition, settings, logger);
  // What the service's own parts use closes after them: workers may still call and write.
  const closeResources = async () => {
    await outbound.close();
    await database?.close();
  };
  let parts: ServiceParts<Operations>;
  try {
    parts = await definition.setup({
      settings,
      clients: await outbound.clients<Calls>(),
      database: database?.opened as Database,
      logger,
      metrics,
      signToken: (request) => signer({ ...request, issuer: definition.name }),
      findPorts: (options) => outbound.findPorts(options),
    });
  } catch (error) {
    await closeResources();
    throw error;
  }
  try {
    await serveParts(app, { definition, contract, parts, lifecycle, settings }, [
      ...(database ? [database.readiness] : []),
      ...(parts.readiness ?? []),
    ]);
  } catch (error) {
    // A contract and handlers that do not match: nothing the service opened stays open.
    await parts.close?.();
    await closeResources();
    throw error;
  }

  let closing: Promise<void> | undefined;
  return {
    name: definition.name,
    app,
    lifecycle,
    settings,
    listen: async (port = settings.PORT) => {
      const address = await app.listen({ port, host: settings.HOST });
      lifecycle.serving();
      return address;
    },
    close: () =>
      (closing ??= shutDown(app, lifecycle, settings, async () => {
        await parts.close?.();
        await closeResources();
      })),
  };
}

/** The service's routes: health, its plugins, metadata, docs and the contract's operations. */
async function serveParts<Operations>(
  app: FastifyInstance,
  {
    definition,
    contract,
    parts,
    lifecycle,
    settings,
  }: {
    definition: Pick<AnyServiceDefinition, 'name' | 'version'>;
    contract: OpenApiDocument;
    parts: ServiceParts<Operations>;
    lifecycle: Lifecycle;
    settings: KitSettings;
  },
  readiness: ReadinessCheck[],
): Promise<void> {
  registerHealth(app, lifecycle, readiness);
  const handlers = parts.handlers as Record<string, AnyHandler>;
  checkHandlers(definition.name, contract, handlers);
  for (const plugin of parts.plugins ?? []) await app.register(plugin);
  registerMetadata(app, metadataOf(definition, contract), {
    root: !app.hasRoute({ method: 'GET', url: '/' }),
  });
  registerDocs(app, contract, `${definition.name} API`);
  await registerOperations(app, contract, {
    handlers,
    securityHandlers: parts.securityHandlers,
    anonymousOperations: parts.anonymousOperations,
    verifyToken: createTokenVerifier(settings.RDS_SERVICE_SECRET, definition.name),
  });
  await app.ready();
}

/** The definition's database, opened, with its readiness check and its closing. */
async function openDatabase<Database>(
  definition: Pick<ServiceDefinition<unknown, unknown, Callees, Database>, 'name' | 'database'>,
  settings: object,
  logger: Logger,
) {
  const declared = definition.database;
  if (!declared) return undefined;
  const opened = await declared.open({ service: definition.name, settings, logger });
  return {
    opened,
    readiness: { name: 'database', check: async () => void (await declared.check(opened)) },
    close: () => declared.close(opened),
  };
}

/**
 * A service's settings: its own, its database's, and the address of each service it calls
 * (`calls`), required.
 */
export function settingsSchemaOf(definition: AnyServiceDefinition): SettingsSchema {
  const own: SettingsSchema[] = [definition.settings, definition.database?.settings].filter(
    (schema) => schema !== undefined,
  );
  const callees = Object.keys(definition.calls ?? {}).map(envName);
  return {
    type: 'object',
    properties: {
      ...Object.assign({}, ...own.map((schema) => schema.properties)),
      ...Object.fromEntries(
        callees.map((name) => [name, { type: 'string', pattern: '^https?://' }]),
      ),
    },
    required: [...new Set([...own.flatMap((schema) => schema.required ?? []), ...callees])],
  };
}

/** A service's settings from the environment, as its definition declares them (settingsSchemaOf). */
export function serviceSettings<S, Operations, Calls extends Callees, Database>(
  definition: ServiceDefinition<S, Operations, Calls, Database>,
  env: NodeJS.ProcessEnv = process.env,
): KitSettings & S {
  return loadSettings<S>(settingsSchemaOf(definition as AnyServiceDefinition), env, {
    otherServices: definition.findsPortsByName === true,
  });
}

function metadataOf(
  definition: Pick<AnyServiceDefinition, 'name' | 'version'>,
  contract: OpenApiDocument,
): ServiceMetadata {
  return {
    name: definition.name,
    version: definition.version,
    description: contract.info.description?.split('\n')[0] ?? contract.info.title,
    api_version: contract.info.version,
    repository: REPOSITORY,
    auth: contract.components?.securitySchemes?.serviceToken ? 'service-token' : 'none',
  };
}

/** A service must implement every operation of its contract, and nothing else. */
function checkHandlers(
  name: string,
  contract: OpenApiDocument,
  handlers: Record<string, unknown>,
): void {
  const declared = new Set(operations(contract).map((o) => o.operationId));
  const missing = [...declared].filter((id) => typeof handlers[id] !== 'function');
  const extra = Object.keys(handlers).filter((id) => !declared.has(id));
  if (missing.length > 0)
    throw new Error(`${name}: no handler for operation(s) ${missing.join(', ')}`);
  if (extra.length > 0)
    throw new Error(`${name}: handler(s) ${extra.join(', ')} match no operation of the contract`);
}

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
function allowedMethods(
  routes: FindMyWay.Instance<FindMyWay.HTTPVersion.V1>,
  url: string,
): string[] {
  const path = url.split('?')[0] ?? url;
  return METHODS.filter((m) => routes.find(m, path) !== null);
}

async function shutDown(
  app: FastifyInstance,
  lifecycle: Lifecycle,
  settings: KitSettings,
  closeParts: () => Promise<void>,
): Promise<void> {
  lifecycle.stopping();
  // Kubernetes keeps routing to a terminating pod until it removes the endpoint: keep serving briefly.
  await sleep(settings.RDS_SHUTDOWN_DELAY_MS);
  const bound = sleep(settings.RDS_SHUTDOWN_TIMEOUT_MS, 'timeout' as const, { ref: false });
  const outcome = await Promise.race([app.close().then(() => 'closed' as const), bound]);
  if (outcome === 'timeout') {
    app.log.warn('in-flight requests did not finish in time; closing their connections');
    app.server.closeAllConnections();
  }
  await closeParts();
}
