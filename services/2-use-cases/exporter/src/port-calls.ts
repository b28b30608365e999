import { interfaceContract } from '@rds/contracts';
import type { operations as FileStorageOperations } from '@rds/contracts/generated/file-storage';
import type { operations as RepositoryOperations } from '@rds/contracts/generated/repository';
import {
  envName,
  isNetworkFailure,
  parseRetryAfter,
  ProblemError,
  UpstreamError,
  type Contract,
  type ContractClient,
  type HttpClient,
  type PortClient,
} from '@rds/kit';

export type RepositoryPort = ContractClient<RepositoryOperations>;
export type StoragePort = ContractClient<FileStorageOperations>;

/** A port's typed client for one interface; a failure of the port where RDS is not told where it is. */
async function portFor<Operations>(
  ports: PortClient,
  name: string,
  contract: Contract<Operations>,
): Promise<ContractClient<Operations>> {
  const client = await ports(name, contract);
  if (!client) throw new PortError(name, `RDS is not told where ${name} is (${envName(name)}).`);
  return client;
}

/** A port called by the operations of the repository interface. */
export const repositoryPort = (ports: PortClient, name: string) =>
  portFor(ports, name, interfaceContract('repository'));
/** A port called by the operations of the file-storage interface. */
export const storagePort = (ports: PortClient, name: string) =>
  portFor(ports, name, interfaceContract('file-storage'));

/**
 * A port failed, told for the researcher: the port's own explanation, or what went wrong on the
 * way. An upstream error like any other (transient or not, with the wait the port asked for), but
 * its own kind: a port's failure fails a file or a target, research-manager's fails the job.
 */
export class PortError extends UpstreamError {
  constructor(
    port: string,
    message: string,
    { status, ...options }: { status?: number; transient?: boolean; retryAfterMs?: number } = {},
  ) {
    super(port, status, undefined, { ...options, detail: message });
  }
}

/**
 * A failed answer as a {@link PortError}: the port's own explanation when it sent one, written
 * for the researcher, led by the port's name unless it names it already; otherwise the status.
 */
export async function errorOf(
  port: string,
  response: Awaited<ReturnType<HttpClient['request']>>,
): Promise<PortError> {
  let detail = '';
  try {
    const problem = (await response.body.json()) as { detail?: unknown };
    if (typeof problem.detail === 'string') detail = problem.detail.trim().slice(0, 500);
  } catch {
    // No problem body: the status says it.
  }
  return new PortError(port, reasonOf(port, response.status, detail), {
    status: response.status,
    retryAfterMs: parseRetryAfter(response.headers['retry-after']),
  });
}

function reasonOf(port: string, status: number, detail: string): string {
  if (!detail) return `${port} answered ${status}.`;
  return detail.includes(port) ? detail : `${port}: ${detail}`;
}

/** Any failure as a {@link PortError}; aborts pass through as they are. */
export function asPortError(port: string, error: unknown): unknown {
  if (error instanceof PortError) return error;
  if ((error as Error).name === 'AbortError') return error;
  if (error instanceof UpstreamError) {
    const status = error.upstreamStatus;
    return new PortError(
      port,
      status ? `${port} answered ${status}.` : `${port} could not be reached.`,
      { status },
    );
  }
  const code = (error as { code?: string }).code ?? '';
  if (isNetworkFailure(error) || /socket|terminated|reset/i.test((error as Error).message)) {
    return new PortError(port, `The connection to ${port} broke (${code || 'closed'}).`);
  }
  return error;
}

/** What an operation of a port takes, beside its id. */
type InputOf<Call> = Call extends (id: never, ...input: infer Input) => unknown ? Input : never;
/** The body of an operation's success, as the contract types it. */
type AnswerOf<Call> = Call extends (...args: never) => Promise<{ body: infer Body }> ? Body : never;

/**
 * Calls an operation of a port and parses its JSON answer (none for 204); failures become
 * {@link PortError}s. Read from the answer as it comes, so that the port's own explanation of a
 * failure reaches the researcher, a 5xx's too.
 */
export async function portJson<Operations, Id extends keyof Operations & string>(
  port: string,
  client: ContractClient<Operations>,
  operationId: Id,
  ...input: InputOf<typeof client.stream<Id>>
): Promise<AnswerOf<typeof client.call<Id>>> {
  let response;
  try {
    response = await client.stream(operationId, ...input);
  } catch (error) {
    throw asPortError(port, error);
  }
  if (response.status < 200 || response.status > 299) throw await errorOf(port, response);
  if (response.status === 204) {
    await response.body.dump();
    return undefined as AnswerOf<typeof client.call<Id>>;
  }
  return (await response.body.json()) as AnswerOf<typeof client.call<Id>>;
}

/** The user's data named a service that is no registered port for the call (`Callees`). */
export const notCallable = (error: unknown) =>
  error instanceof ProblemError && error.init.messageKey === 'port.notCallable';

/** Worth another try later: no answer, 5xx or 429, from a port or from research-manager. */
export const isTransient = (error: unknown) => error instanceof UpstreamError && error.transient;
