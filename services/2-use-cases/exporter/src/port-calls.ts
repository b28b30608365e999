import {
  isNetworkFailure,
  parseRetryAfter,
  ProblemError,
  UpstreamError,
  type CallOptions,
  type HttpClient,
} from '@rds/kit';

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

/**
 * Calls a port and parses its JSON answer (none for 204); failures become {@link PortError}s.
 */
export async function portJson<T>(port: string, client: HttpClient, call: CallOptions): Promise<T> {
  let response;
  try {
    response = await client.request(call);
  } catch (error) {
    throw asPortError(port, error);
  }
  if (response.status < 200 || response.status > 299) throw await errorOf(port, response);
  if (response.status === 204) {
    await response.body.dump();
    return undefined as T;
  }
  return (await response.body.json()) as T;
}

/** The user's data named a service that is no registered port for the call (`Callees`). */
export const notCallable = (error: unknown) =>
  error instanceof ProblemError && error.init.messageKey === 'port.notCallable';

/** Worth another try later: no answer, 5xx or 429, from a port or from research-manager. */
export const isTransient = (error: unknown) => error instanceof UpstreamError && error.transient;
