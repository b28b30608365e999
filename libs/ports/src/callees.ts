import { ProblemError, UpstreamError } from '@rds/kit';
import type { components } from '@rds/contracts/generated/token-storage';
import { answerOf, type TokenStorage } from './token-storage.ts';

type Service = components['schemas']['Service'];
/** An interface a port registers as implementing: a source of files, or a repository. */
export type PortInterface = Service['implements'][number];

// The names token-storage registers (research-manager's PortName): nothing else is looked up.
const PORT_NAME = /^[a-z0-9][a-z0-9._-]{0,62}$/;

const WHAT: Record<PortInterface, string> = {
  fileStorage: 'a storage RDS reads files from',
  repository: 'a repository RDS publishes to',
};

/**
 * The ports a use case may call. A port's name comes from data users give (a context's sources
 * and targets, a request), and every service of RDS is found by its name: unchecked, a source
 * named `research-manager` would make the caller call research-manager. So a name becomes a
 * callee only when token-storage has a port of that name registered as implementing the
 * interface the call needs, whatever the deployment's addresses.
 */
export class Callees {
  constructor(private readonly tokenStorage: TokenStorage) {}

  /**
   * Resolves when `name` is a registered port implementing `needs`; otherwise throws a 422
   * problem (`port.notCallable`) in words for the user. Asked for the acting user's tenant.
   */
  async check(name: unknown, needs: PortInterface): Promise<void> {
    const service = await this.registered(name);
    if (!service) throw notCallable(String(name), needs, false);
    if (!service.implements.includes(needs)) throw notCallable(service.servicename, needs, true);
  }

  /** The registration of the port named `name`, if token-storage has one. */
  async registered(name: unknown): Promise<Service | undefined> {
    if (typeof name !== 'string' || !PORT_NAME.test(name)) return undefined;
    try {
      return await answerOf(
        this.tokenStorage.call('getService', { params: { servicename: name } }),
      );
    } catch (error) {
      if (error instanceof UpstreamError && error.upstreamStatus === 404) return undefined;
      throw error;
    }
  }
}

function notCallable(name: string, needs: PortInterface, registered: boolean): ProblemError {
  const shown = name.slice(0, 100);
  return new ProblemError(422, {
    detail: `${shown} is not ${WHAT[needs]}${registered ? '' : ': RDS has no such service'}.`,
    messageKey: 'port.notCallable',
    args: { port: shown, needs },
  });
}
