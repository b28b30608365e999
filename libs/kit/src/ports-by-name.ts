import type { ClientOptions, HttpClient } from './client.ts';
import { ContractClient } from './contract-client.ts';
import type { Contract } from './operations.ts';

/** A typed client for the port called `name`, serving `contract`; undefined where it is not known. */
export type PortClient = <Operations>(
  name: string,
  contract: Contract<Operations>,
) => Promise<ContractClient<Operations> | undefined>;

/**
 * The ports a service calls by the names users give (`findsPortsByName`): each found at
 * `RDS_<PORT>_URL`, none where this service is not told one, so that an unknown name is refused
 * rather than tried. One HTTP client per port and one typed client per port and contract, made
 * when first asked for.
 */
export function portsByName(
  urlOf: (name: string) => string | undefined,
  serviceClient: (name: string, options?: Partial<ClientOptions>) => HttpClient,
  options: Partial<ClientOptions> = {},
): PortClient {
  const http = new Map<string, HttpClient>();
  // Each entry holds the client of the contract in its key.
  const typed = new Map<string, Promise<unknown>>();
  return async <Operations>(name: string, contract: Contract<Operations>) => {
    if (!urlOf(name)) return undefined;
    const key = JSON.stringify([name, contract]);
    let client = typed.get(key) as Promise<ContractClient<Operations>> | undefined;
    if (!client) {
      let port = http.get(name);
      if (!port) http.set(name, (port = serviceClient(name, options)));
      client = ContractClient.of(port, contract);
      typed.set(key, client);
    }
    return client;
  };
}
