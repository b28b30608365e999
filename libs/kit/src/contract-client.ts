/**
 * A typed client for one contract, over the kit's {@link HttpClient} (retries, context, tokens and
 * problems kept): `client.call('publishRecord', { params: { recordId } })`. The operation's
 * method and path come from the contract, its parameters, body and answer types from the types
 * generated from it, so a call off the contract fails to compile instead of at the callee.
 */
import type { CallOptions, HttpClient, Relayed, Response } from './client.ts';
import { loadContract, operations } from './contract.ts';
import { HEALTH_ROUTES } from './health.ts';
import { ProblemError } from './problems.ts';
import type {
  AnswersOf,
  BodyOf,
  Contract,
  OperationTypes,
  ParamsOf,
  QueryOf,
} from './operations.ts';

type Empty = Record<string, never>;
type Success = 200 | 201 | 202 | 204;

/** The body of an operation's successful answers. */
export type SuccessOf<Op extends OperationTypes> = AnswersOf<Op>[Extract<
  keyof AnswersOf<Op>,
  Success
>];

type ParamsInput<Op extends OperationTypes> =
  ParamsOf<Op> extends Empty ? { params?: never } : { params: ParamsOf<Op> };
type QueryInput<Op extends OperationTypes> =
  QueryOf<Op> extends Empty ? { query?: never } : { query?: QueryOf<Op> };
type BodyInput<Op extends OperationTypes> =
  undefined extends BodyOf<Op> ? { json?: BodyOf<Op> } : { json: BodyOf<Op> };

/** What a call of one operation takes: its parameters and body, and the kit's call options. */
export type CallInput<Op extends OperationTypes> = ParamsInput<Op> &
  QueryInput<Op> &
  BodyInput<Op> &
  Pick<
    CallOptions,
    'headers' | 'body' | 'idempotent' | 'context' | 'signal' | 'timeoutMs' | 'retry'
  >;

type OptionalInput<Op extends OperationTypes> =
  Record<string, never> extends CallInput<Op> ? [CallInput<Op>?] : [CallInput<Op>];

/** An operation's successful answer, its body as the contract types it (none for a 204). */
export interface Answered<Body> extends Relayed<Body> {
  body: Body;
}

interface Route {
  method: NonNullable<CallOptions['method']>;
  path: string;
}

export class ContractClient<Operations> {
  private constructor(
    readonly http: HttpClient,
    private readonly routes: Map<string, Route>,
  ) {}

  /** A client for `contract`'s operations, sent through `http`. */
  static async of<Operations>(
    http: HttpClient,
    contract: Contract<Operations>,
  ): Promise<ContractClient<Operations>> {
    const document = await loadContract(contract);
    const routes = new Map(
      operations(document).map((o) => [
        o.operationId,
        { method: o.method as Route['method'], path: o.path },
      ]),
    );
    return new ContractClient<Operations>(http, routes);
  }

  /**
   * Calls an operation and reads its JSON answer. A problem the callee answers in the 4xx range
   * becomes the same problem here, for the user it acts for (HttpClient.relay).
   */
  call<Id extends keyof Operations & string>(
    operationId: Id,
    ...[input]: OptionalInput<Operations[Id] & OperationTypes>
  ): Promise<Answered<SuccessOf<Operations[Id] & OperationTypes>>> {
    // relay reads no body only of a 204 (no operation is a HEAD), which SuccessOf types undefined.
    return this.http.relay(this.options(operationId, input ?? {})) as Promise<
      Answered<SuccessOf<Operations[Id] & OperationTypes>>
    >;
  }

  /** Resolves when the service takes work (its `/health/ready`), for a readiness check of a caller. */
  async ready(): Promise<void> {
    await this.http.json({ path: HEALTH_ROUTES.ready });
  }

  /** Calls an operation whose answer is not JSON (a file's bytes): the answer as it comes. */
  stream<Id extends keyof Operations & string>(
    operationId: Id,
    ...[input]: OptionalInput<Operations[Id] & OperationTypes>
  ): Promise<Response> {
    return this.http.request(this.options(operationId, input ?? {}));
  }

  private options(operationId: string, input: object): CallOptions {
    const route = this.routes.get(operationId);
    if (!route) throw new Error(`${operationId} is no operation of this contract`);
    const { params, query, ...rest } = input as {
      params?: Record<string, string>;
      query?: Record<string, unknown>;
    } & CallOptions;
    return { ...rest, method: route.method, path: pathOf(route.path, params, query) };
  }
}

/** The operation's path with its parameters filled in, and its query (arrays as repeated names). */
function pathOf(
  template: string,
  params: Record<string, string> = {},
  query: Record<string, unknown> = {},
): string {
  const path = template.replace(/\{([^}]+)\}/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`${template}: no value for {${name}}`);
    // URLs resolve a dot segment, encoded or not (%2E%2E): the call would reach another path.
    if (value === '.' || value === '..')
      throw new ProblemError(400, {
        detail: 'The request is not valid.',
        messageKey: 'request.invalid',
        errors: [{ pointer: `#/path/${name}`, detail: `may not be '${value}'` }],
      });
    return encodeURIComponent(value);
  });
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(query))
    for (const one of [value].flat()) if (one !== undefined) search.append(name, String(one));
  return search.size > 0 ? `${path}?${search}` : path;
}
