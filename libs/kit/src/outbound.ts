import type { TokenRequest } from './auth.ts';
import { HttpClient, type ClientOptions } from './client.ts';
import { ContractClient } from './contract-client.ts';
import type { Contract, OperationsOf } from './operations.ts';
import { portsByName, type PortClient } from './ports-by-name.ts';

/** The services a service calls, by name, each with its contract: `{ exporter: serviceContract('exporter') }`. */
export type Callees = Record<string, Contract<unknown>>;
/** A typed client for each service a service calls. */
export type ClientsOf<Calls extends Callees> = {
  [Name in keyof Calls]: ContractClient<OperationsOf<Calls[Name]>>;
};

/** What a definition says of the calls its service makes. */
interface Caller {
  name: string;
  calls?: Callees;
  findsPortsByName?: true;
}

/**
 * The calls a service makes, as its definition declares them: a typed client for each service in
 * `calls`, and ports by name for a service that finds them so. Every client signs service tokens
 * as the service, finds its callee at `RDS_<SERVICE>_URL`, and closes with the others.
 */
export class Outbound {
  private readonly made: HttpClient[] = [];
  private readonly urls: Record<string, string | undefined>;

  constructor(
    private readonly caller: Caller,
    settings: object,
    private readonly sign: (request: TokenRequest) => string,
  ) {
    this.urls = settings as Record<string, string | undefined>;
  }

  async clients<Calls extends Callees>(): Promise<ClientsOf<Calls>> {
    const clients = await Promise.all(
      Object.entries(this.caller.calls ?? {}).map(async ([name, contract]) => [
        name,
        await ContractClient.of(this.client(name), contract),
      ]),
    );
    return Object.fromEntries(clients) as ClientsOf<Calls>;
  }

  findPorts(options: Partial<ClientOptions> = {}): PortClient {
    const { name, findsPortsByName } = this.caller;
    if (!findsPortsByName)
      throw new Error(`${name} finds ports by name but does not say so (findsPortsByName)`);
    return portsByName(
      (port) => this.urls[envName(port)],
      (port, given) => this.client(port, given),
      options,
    );
  }

  async close(): Promise<void> {
    await Promise.all(this.made.map((client) => client.close()));
  }

  private client(service: string, options?: Partial<ClientOptions>): HttpClient {
    const baseUrl = this.urls[envName(service)];
    if (!baseUrl)
      throw new Error(`${envName(service)} is not set: ${this.caller.name} needs ${service}`);
    const client = new HttpClient({
      name: service,
      baseUrl,
      serviceToken: { sign: this.sign, issuer: this.caller.name, audience: service },
      ...options,
    });
    this.made.push(client);
    return client;
  }
}

/** Where a service is found: `RDS_<SERVICE>_URL`. */
export function envName(service: string): string {
  return `RDS_${service.toUpperCase().replace(/-/g, '_')}_URL`;
}
