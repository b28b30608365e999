import {
  parseRetryAfter,
  ProblemError,
  UpstreamError,
  type CallOptions,
  type HttpClient,
} from '@rds/kit';

const NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);

/**
 * A port (or research-manager) failed. Transient failures (no answer, 5xx, 429) are worth
 * another try; the others need the user to change something, and `message` says what.
 */
export class PortError extends Error {
  constructor(
    message: string,
    readonly transient: boolean,
    readonly status?: number,
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}

const isTransientStatus = (status: number) => status === 429 || status >= 500;

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
  const retryAfter = response.headers['retry-after'];
  return new PortError(
    reasonOf(port, response.status, detail),
    isTransientStatus(response.status),
    response.status,
    parseRetryAfter(Array.isArray(retryAfter) ? retryAfter[0] : retryAfter),
  );
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
      status ? `${port} answered ${status}.` : `${port} could not be reached.`,
      status === undefined || isTransientStatus(status),
      status,
    );
  }
  const code = (error as { code?: string }).code ?? '';
  if (NETWORK_CODES.has(code) || /socket|terminated|reset/i.test((error as Error).message)) {
    return new PortError(`The connection to ${port} broke (${code || 'closed'}).`, true);
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
export function isTransient(error: unknown): boolean {
  if (error instanceof PortError) return error.transient;
  if (!(error instanceof UpstreamError)) return false;
  const status = error.upstreamStatus;
  return status === undefined || isTransientStatus(status);
}
