import { actingUser, ProblemError, type Handler, type HttpClient } from '@rds/kit';
import type { Callees } from '@rds/ports';

const noSuchStorage = (servicename: string) =>
  new ProblemError(404, {
    detail: `There is no storage service ${servicename}.`,
    messageKey: 'storage.serviceNotFound',
    args: { servicename },
  });

/**
 * The storage ports a user may browse: registered in the user's tenant as `fileStorage`, and
 * reachable from here.
 */
export class StoragePorts {
  private readonly clients = new Map<string, HttpClient>();

  constructor(
    private readonly callees: Callees,
    /** A client for a service, or nothing when this service is not told where it is. */
    private readonly clientFor: (servicename: string) => HttpClient | undefined,
  ) {}

  /** The port's client; a 404 problem naming the service when it is no storage RDS reaches. */
  async port(servicename: string): Promise<HttpClient> {
    const service = await this.callees.registered(servicename);
    if (!service?.implements.includes('fileStorage')) throw noSuchStorage(servicename);
    let client = this.clients.get(servicename);
    if (!client) {
      client = this.clientFor(servicename);
      if (!client) throw noSuchStorage(servicename);
      this.clients.set(servicename, client);
    }
    return client;
  }
}

export function storageHandlers(storage: StoragePorts): Record<string, Handler> {
  return {
    listStorageFolder: async (request) => {
      actingUser(request);
      const { servicename } = request.params as { servicename: string };
      const { path, limit, cursor } = request.query as {
        path: string;
        limit: number;
        cursor?: string;
      };
      const port = await storage.port(servicename);
      // The port's own problems (not connected, no such path, outside the storage) reach the user.
      return (await port.relay({ path: '/folder', query: { path, limit, cursor } })).body;
    },
  };
}
