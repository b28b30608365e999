import type { operations } from '@rds/contracts/generated/research';
import type { operations as FileStorageOperations } from '@rds/contracts/generated/file-storage';
import {
  actingUser,
  ProblemError,
  withDefaults,
  type ContractClient,
  type SomeHandlers,
} from '@rds/kit';
import type { Callees } from '@rds/ports';

type StoragePort = ContractClient<FileStorageOperations>;

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
  constructor(
    private readonly callees: Callees,
    /** A port's client, or nothing when this service is not told where it is. */
    private readonly clientFor: (servicename: string) => Promise<StoragePort | undefined>,
  ) {}

  /** The port's client; a 404 problem naming the service when it is no storage RDS reaches. */
  async port(servicename: string): Promise<StoragePort> {
    const service = await this.callees.registered(servicename);
    if (!service?.implements.includes('fileStorage')) throw noSuchStorage(servicename);
    const port = await this.clientFor(servicename);
    if (!port) throw noSuchStorage(servicename);
    return port;
  }
}

export function storageHandlers(
  storage: StoragePorts,
): SomeHandlers<operations, 'listStorageFolder'> {
  return {
    listStorageFolder: async (request) => {
      actingUser(request);
      const { path, limit, cursor } = withDefaults(request.query, 'limit');
      const port = await storage.port(request.params.servicename);
      // The port's own problems (not connected, no such path, outside the storage) reach the user.
      const answer = await port.call('listFolder', { query: { path, limit, cursor } });
      return answer.body;
    },
  };
}
