import { ContractClient, envName, type Contract, type HttpClient } from '@rds/kit';

/**
 * One typed client per port, made when first needed, its paths from the interface the port
 * serves; undefined for a port whose `RDS_<PORT>_URL` is not set, so that an unknown name in a
 * request is refused rather than tried.
 */
export function portClients<Operations>(
  settings: Record<string, unknown>,
  serviceClient: (service: string) => HttpClient,
  contract: Contract<Operations>,
): (port: string) => Promise<ContractClient<Operations> | undefined> {
  const clients = new Map<string, Promise<ContractClient<Operations>>>();
  return async (port) => {
    if (typeof settings[envName(port)] !== 'string') return undefined;
    let client = clients.get(port);
    if (!client) {
      client = ContractClient.of(serviceClient(port), contract);
      clients.set(port, client);
    }
    return client;
  };
}
