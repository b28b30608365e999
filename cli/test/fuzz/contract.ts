/** What the fuzz suite needs to know of each operation, read from the contracts themselves. */
import { loadContract, type OpenApiDocument } from '@rds/kit';
import { allContracts, CONTRACTS_ROOT } from '@rds/contracts';

export type Schema = Record<string, unknown>;

export interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required: boolean;
  schema: Schema;
}

export interface FuzzOperation {
  /** The service answering it in the embedded stack. */
  service: string;
  operationId: string;
  method: string;
  /** The contract's path template, e.g. `/contexts/{contextId}`. */
  path: string;
  parameters: Parameter[];
  /** Media type → schema of the request body; empty when the operation takes none. */
  body: Record<string, Schema>;
  bodyRequired: boolean;
  /**
   * How a caller proves who it is: nothing (public), a service token of one of the callers (any
   * RDS service when none is named) that may have to name a user, or web's session.
   */
  auth:
    | { kind: 'public' }
    | { kind: 'token'; callers: string[]; userRequired: boolean }
    | { kind: 'session'; csrf: boolean };
  /** The document's components, so generated schemas can resolve their `$ref`s. */
  components: Schema;
}

/**
 * The service of the embedded stack (`rds start`) serving each contract: services serve their
 * own, and the interfaces are served by the ports that need no account anywhere.
 */
const SERVED_BY: Record<string, string> = {
  'interfaces/file-storage.yaml': 'local-folder',
  'interfaces/repository.yaml': 'local-archive',
};

function serviceOf(contract: string): string {
  return SERVED_BY[contract] ?? contract.replace(/^services\/(.*)\.yaml$/, '$1');
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch'];

/** Every operation of every contract, in contract order. */
export async function allOperations(): Promise<FuzzOperation[]> {
  const lists = await Promise.all(
    allContracts().map(async (contract) =>
      operationsOf(serviceOf(contract), await loadContract(`${CONTRACTS_ROOT}${contract}`)),
    ),
  );
  return lists.flat();
}

function operationsOf(service: string, document: OpenApiDocument): FuzzOperation[] {
  const at = (value: unknown) => follow(document, value) as Schema;
  return Object.entries(document.paths ?? {}).flatMap(([path, item]) =>
    METHODS.filter((method) => item[method]).map((method) => {
      const op = item[method] as Schema;
      const shared = (item.parameters ?? []) as unknown[];
      const parameters = [...shared, ...((op.parameters ?? []) as unknown[])].map((p) => {
        const parameter = at(p) as unknown as Parameter;
        return { ...parameter, required: Boolean(parameter.required), schema: parameter.schema };
      });
      const requestBody = op.requestBody ? at(op.requestBody) : undefined;
      const content = (requestBody?.content ?? {}) as Record<string, { schema: Schema }>;
      return {
        service,
        operationId: String(op.operationId),
        method: method.toUpperCase(),
        path,
        parameters,
        body: Object.fromEntries(Object.entries(content).map(([type, m]) => [type, m.schema])),
        bodyRequired: Boolean(requestBody?.required),
        auth: authOf(
          (op.security ?? document.security ?? []) as Record<string, string[]>[],
          actsForUser(document),
        ),
        components: (document.components ?? {}) as Schema,
      };
    }),
  );
}

function authOf(
  security: Record<string, string[]>[],
  userRequired: boolean,
): FuzzOperation['auth'] {
  const first = security[0];
  if (!first) return { kind: 'public' };
  if ('serviceToken' in first)
    return { kind: 'token', callers: first.serviceToken ?? [], userRequired };
  return { kind: 'session', csrf: 'csrfToken' in first };
}

/**
 * Whether every service token of the contract must name a user, as its scheme says: "acting for
 * a user (`sub`)", "the signed-in user (`sub`)", or "a token naming no user is refused". (The
 * repository interface's "the user (`sub`) whose repository account this is" leaves its
 * account-free operations, capabilities and checks, open to tokens without one.)
 */
function actsForUser(document: OpenApiDocument): boolean {
  const schemes = document.components?.securitySchemes as
    Record<string, { description?: string }> | undefined;
  const says = schemes?.serviceToken?.description ?? '';
  return /(a|signed-in) user \(`sub`\)|naming no user is refused/.test(says);
}

/** A `$ref` inside the bundled document, followed to what it names. */
function follow(document: OpenApiDocument, value: unknown): unknown {
  let current = value as { $ref?: string } | undefined;
  while (current?.$ref?.startsWith('#/')) {
    current = current.$ref
      .slice(2)
      .split('/')
      .reduce<unknown>(
        (node, key) => (node as Record<string, unknown>)[key.replace(/~1/g, '/')],
        document,
      ) as { $ref?: string };
  }
  return current;
}
