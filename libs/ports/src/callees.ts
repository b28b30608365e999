import { ProblemError, UpstreamError, type HttpClient } from '@rds/kit';
import type { components } from '@rds/contracts/generated/token-storage';

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
  constructor(private readonly tokenStorage: HttpClient) {}

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
    const answer = await this.tokenStorage.request({ path: `/service/${name}` });
    if (answer.status === 404) {
      await answer.body.dump();
      return undefined;
    }
    if (answer.status !== 200) {
      await answer.body.dump();
      throw new UpstreamError('token-storage', answer.status);
    }
    return (await answer.body.json()) as Service;
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
