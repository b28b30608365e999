/**
 * A contract's operations as TypeScript types: what a handler gets and may answer, from the
 * `operations` interface openapi-typescript generates for each contract
 * (`@rds/contracts/generated/<name>`). A service's handlers object is `Handlers<operations>`,
 * so a missing handler, a wrong parameter name or an answer off the contract fails to compile.
 */
import type { FastifyReply, FastifyRequest, RouteGenericInterface } from 'fastify';

/**
 * The path of a contract's OpenAPI document, carrying the types of its operations (from
 * `@rds/contracts/generated/`), so that handlers and clients for it are checked at compile time,
 * and the layer of the service that serves it, so that a call against the layer rules is too.
 * `@rds/contracts` hands them out: `serviceContract('exporter')`.
 */
export type Contract<Operations = unknown, Layer extends number = number> = string & {
  readonly operationTypes?: Operations;
  readonly layer?: Layer;
};
/** The operations' types a {@link Contract} carries. */
export type OperationsOf<C> = C extends Contract<infer Operations, number> ? Operations : never;

/** The shape openapi-typescript gives one operation. */
export interface OperationTypes {
  parameters: { query?: unknown; header?: unknown; path?: unknown; cookie?: unknown };
  requestBody?: unknown;
  responses: object;
}

type Present<T, Otherwise> = [Exclude<T, undefined>] extends [never]
  ? Otherwise
  : Exclude<T, undefined>;

/**
 * A JSON body's type; any other media type (a file's bytes) is read from `request.raw` as a
 * stream, so the parsed body is `unknown` there: the way out for streamed bodies.
 */
type JsonOf<Content> = Content extends { 'application/json': infer Body }
  ? Body
  : Content extends Record<`application/${string}+json`, infer Body>
    ? Body
    : unknown;

export type BodyOf<Op> = Op extends { requestBody: { content: infer C } }
  ? JsonOf<C>
  : Op extends { requestBody?: { content: infer C } }
    ? JsonOf<C> | undefined
    : undefined;

export type ParamsOf<Op extends OperationTypes> = Present<
  Op['parameters']['path'],
  Record<string, never>
>;
export type QueryOf<Op extends OperationTypes> = Present<
  Op['parameters']['query'],
  Record<string, never>
>;
/** Headers the contract names, beside every other header a request may carry. */
export type HeadersOf<Op extends OperationTypes> = Present<Op['parameters']['header'], unknown> &
  Record<string, string | string[] | undefined>;

/** Each status the contract answers with (not its `default` problem) and that answer's body. */
export type AnswersOf<Op extends OperationTypes> = {
  [
    Status in keyof Op['responses'] as Status extends 'default' ? never : Status
  ]: Op['responses'][Status] extends {
    content: infer C;
  }
    ? JsonOf<C>
    : undefined;
};

/** Fastify's request and reply types for one operation. */
export interface RouteOf<Op extends OperationTypes> extends RouteGenericInterface {
  Params: ParamsOf<Op>;
  Querystring: QueryOf<Op>;
  Headers: HeadersOf<Op>;
  Body: BodyOf<Op>;
  Reply: AnswersOf<Op>;
}

export type RequestOf<Op extends OperationTypes> = FastifyRequest<RouteOf<Op>>;
export type ReplyOf<Op extends OperationTypes> = FastifyReply<RouteOf<Op>>;

/**
 * One operation's handler. It answers with `reply.code(…).send(…)`, typed by status, or returns
 * the body of its first success status.
 */
export type OperationHandler<Op extends OperationTypes> = (
  request: RequestOf<Op>,
  reply: ReplyOf<Op>,
) => Promise<AnswersOf<Op>[keyof AnswersOf<Op>] | ReplyOf<Op> | void>;

/**
 * Any operation's handler, as the kit holds it: each was checked against its own operation where
 * the service wrote it, and the kit routes by operationId.
 */
export type AnyHandler = (request: never, reply: never) => Promise<unknown>;

/** A handler for each operation of a contract: none missing, none extra. */
export type Handlers<Operations> = {
  [Id in keyof Operations]: Operations[Id] extends OperationTypes
    ? OperationHandler<Operations[Id]>
    : never;
};

/** Some operations' handlers, for a service whose handlers come from several modules. */
export type SomeHandlers<Operations, Ids extends keyof Operations> = Pick<
  Handlers<Operations>,
  Ids
>;

/** `query` with the named parameters present. */
export type Filled<Query, Names extends keyof Query> = Query & {
  [Name in Names]-?: Exclude<Query[Name], undefined>;
};

/**
 * A request's query with the parameters whose defaults the contract gives: the kit's validation
 * fills them in before the handler runs, but the generated types keep them optional, as they are
 * to callers. Throws when one is missing, which means the contract gives it no default.
 */
export function withDefaults<Query extends object, Names extends keyof Query>(
  query: Query,
  ...names: Names[]
): Filled<Query, Names> {
  for (const name of names)
    if (query[name] === undefined)
      throw new Error(`the contract gives the query parameter ${String(name)} no default`);
  return query as Filled<Query, Names>;
}
