import type { FastifyInstance, onRequestAsyncHookHandler, RouteOptions } from 'fastify';
import openapiGlue from 'fastify-openapi-glue';
import { serviceTokenHook, type ServiceTokenClaims } from './auth.ts';
import { bodyTypeHook } from './bodies.ts';
import { operations as operationsOf, type OpenApiDocument } from './contract.ts';
import type { AnyHandler } from './operations.ts';
import type { SecurityHandler } from './service.ts';

type Requirement = Record<string, string[]>;
type OperationObject = { operationId?: string; security?: Requirement[] };

export interface Operations {
  handlers: Record<string, AnyHandler>;
  /** Handlers of the contract's own security schemes. */
  securityHandlers?: Record<string, SecurityHandler> | undefined;
  /** Operations that also take calls without a service token. */
  anonymousOperations?: string[] | undefined;
  verifyToken: (token: string) => ServiceTokenClaims;
}

/**
 * The contract's operations as routes (fastify-openapi-glue: routing and request validation),
 * each with its handler. Before a body is read, each route checks on arrival who calls (the
 * kit's service token, or the service's own schemes) and then the body's media type: a caller
 * who may not call learns nothing of the body's schema, and costs no parsing or validation.
 */
export async function registerOperations(
  app: FastifyInstance,
  contract: OpenApiDocument,
  operations: Operations,
): Promise<void> {
  const anonymous = new Set(operations.anonymousOperations);
  const { specification, callers, ownSchemes } = withoutSecurity(contract);
  withoutUnparsedResponseTypes(specification, app);
  const bodies = new Map(operationsOf(contract).map((o) => [o.operationId, o.body]));
  await app.register(openapiGlue, {
    specification,
    operationResolver: (operationId: string) => {
      const allowed = callers.get(operationId);
      const own = ownSchemes.get(operationId);
      const body = bodies.get(operationId);
      const onRequest = [
        allowed && serviceTokenHook(operations.verifyToken, allowed, anonymous.has(operationId)),
        own && ownSchemesHook(own, operations.securityHandlers ?? {}, operationId),
        body && bodyTypeHook(body),
      ].filter((hook) => hook !== undefined);
      const handler = operations.handlers[operationId]!;
      // The glue takes options to add to the route it makes; its types ask for a whole route.
      return (onRequest.length > 0 ? { handler, onRequest } : handler) as unknown as RouteOptions;
    },
  });
}

/**
 * The check of an operation's own security requirements (OpenAPI: any one requirement, each
 * scheme of it): the first refusal is the answer when none is met.
 */
function ownSchemesHook(
  requirements: Requirement[],
  handlers: Record<string, SecurityHandler>,
  operationId: string,
): onRequestAsyncHookHandler {
  for (const scheme of requirements.flatMap((r) => Object.keys(r)))
    if (!handlers[scheme])
      throw new Error(`${operationId}: no handler for security scheme ${scheme}`);
  return async (request, reply) => {
    let refusal: unknown;
    for (const requirement of requirements) {
      try {
        for (const [scheme, scopes] of Object.entries(requirement))
          await handlers[scheme]!(request, reply, scopes);
        return;
      } catch (error) {
        refusal ??= error;
      }
    }
    throw refusal;
  };
}

const METHODS = new Set(['get', 'put', 'post', 'delete', 'options', 'head', 'patch']);

/**
 * A copy of the contract for the glue without security requirements (the kit checks them), the
 * callers each `serviceToken` requirement allows (its scopes), and the requirements of the
 * service's own schemes. The token must be an operation's only requirement.
 */
function withoutSecurity(contract: OpenApiDocument) {
  const specification = structuredClone(contract);
  const callers = new Map<string, string[]>();
  const ownSchemes = new Map<string, Requirement[]>();
  for (const [path, item] of Object.entries(specification.paths ?? {})) {
    for (const [method, operation] of Object.entries(item)) {
      if (!METHODS.has(method)) continue;
      const { operationId, security = contract.security as Requirement[] | undefined } =
        operation as OperationObject;
      (operation as OperationObject).security = [];
      if (!operationId || !security?.some((r) => Object.keys(r).length > 0)) continue;
      const allowed = serviceTokenScopes(security, `${method.toUpperCase()} ${path}`);
      if (allowed) callers.set(operationId, allowed);
      else ownSchemes.set(operationId, security);
    }
  }
  return { specification, callers, ownSchemes };
}

type ResponsesObject = Record<string, { content?: Record<string, unknown> }>;

/**
 * Drops from the glue's copy the response media types no request could carry (server-sent
 * events): the glue takes every media type for a request body type and warns at each start that
 * it has no parser. Fastify serializes only JSON with a schema, so nothing else changes. JSON
 * types only answered (metadata's application/schema+json) have a parser (bodies.ts) and stay:
 * response validation looks their schema up by the answer's media type, and fails without it.
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
