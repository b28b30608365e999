import type { FastifyInstance, RouteOptions } from 'fastify';
import openapiGlue from 'fastify-openapi-glue';
import { serviceTokenHook, type ServiceTokenClaims } from './auth.ts';
import type { OpenApiDocument } from './contract.ts';
import type { Handler, SecurityHandler } from './service.ts';

type Requirement = Record<string, string[]>;
type OperationObject = { operationId?: string; security?: Requirement[] };

export interface Operations {
  handlers: Record<string, Handler>;
  /** Handlers of the contract's own security schemes (fastify-openapi-glue checks those). */
  securityHandlers?: Record<string, SecurityHandler> | undefined;
  /** Operations that also take calls without a service token. */
  anonymousOperations?: string[] | undefined;
  verifyToken: (token: string) => ServiceTokenClaims;
}

/**
 * The contract's operations as routes (fastify-openapi-glue: routing and request validation),
 * each with its handler. An operation secured by the service token gets the kit's token hook;
 * the glue checks a service's own schemes.
 */
export async function registerOperations(
  app: FastifyInstance,
  contract: OpenApiDocument,
  operations: Operations,
): Promise<void> {
  const anonymous = new Set(operations.anonymousOperations);
  const { specification, callers } = withoutServiceTokens(contract);
  withoutUnparsedResponseTypes(specification, app);
  await app.register(openapiGlue, {
    specification,
    operationResolver: (operationId: string) => {
      const handler = operations.handlers[operationId]!;
      const allowed = callers.get(operationId);
      if (!allowed) return handler;
      const options = {
        handler,
        onRequest: serviceTokenHook(operations.verifyToken, allowed, anonymous.has(operationId)),
      };
      // The glue takes options to add to the route it makes; its types ask for a whole route.
      return options as unknown as RouteOptions;
    },
    ...(operations.securityHandlers ? { securityHandlers: operations.securityHandlers } : {}),
  });
}

const METHODS = new Set(['get', 'put', 'post', 'delete', 'options', 'head', 'patch']);

/**
 * A copy of the contract for the glue without the `serviceToken` requirements, and the callers
 * each operation's requirement allows (its scopes). The token must be an operation's only
 * requirement: combined with a service's own schemes it would need the glue's checks.
 */
function withoutServiceTokens(contract: OpenApiDocument) {
  const specification = structuredClone(contract);
  const callers = new Map<string, string[]>();
  for (const [path, item] of Object.entries(specification.paths ?? {})) {
    for (const [method, operation] of Object.entries(item)) {
      if (!METHODS.has(method)) continue;
      const { operationId, security = contract.security as Requirement[] | undefined } =
        operation as OperationObject;
      const allowed = serviceTokenScopes(security ?? [], `${method.toUpperCase()} ${path}`);
      if (!allowed || !operationId) continue;
      callers.set(operationId, allowed);
      (operation as OperationObject).security = [];
    }
  }
  return { specification, callers };
}

type ResponsesObject = Record<string, { content?: Record<string, unknown> }>;

/**
 * Drops from the glue's copy the response media types no request could carry (server-sent
 * events): the glue takes every media type for a request body type and warns at each start that
 * it has no parser. Fastify serializes only JSON with a schema, so nothing else changes.
 */
function withoutUnparsedResponseTypes(specification: OpenApiDocument, app: FastifyInstance): void {
  for (const item of Object.values(specification.paths ?? {})) {
    for (const [method, operation] of Object.entries(item)) {
      if (!METHODS.has(method)) continue;
      const responses = (operation as { responses?: ResponsesObject }).responses ?? {};
      for (const response of Object.values(responses)) {
        for (const type of Object.keys(response.content ?? {}))
          if (!app.hasContentTypeParser(type)) delete response.content![type];
      }
    }
  }
}

function serviceTokenScopes(requirements: Requirement[], where: string): string[] | undefined {
  const mentioned = requirements.some((r) => 'serviceToken' in r);
  if (!mentioned) return undefined;
  const only = requirements[0]!;
  if (requirements.length > 1 || Object.keys(only).length > 1)
    throw new Error(`${where}: serviceToken must be the operation's only security requirement`);
  return only.serviceToken;
}
