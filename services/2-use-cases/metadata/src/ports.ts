import { envName, type HttpClient } from '@rds/kit';

/**
 * One client per port, made when first needed; undefined for a port whose `RDS_<PORT>_URL` is not
 * set, so that an unknown name in a request is refused rather than tried.
 */
export function portClients(
  settings: Record<string, unknown>,
  serviceClient: (service: string) => HttpClient,
): (port: string) => HttpClient | undefined {
  const clients = new Map<string, HttpClient>();
  return (port) => {
    if (typeof settings[envName(port)] !== 'string') return undefined;
    let client = clients.get(port);
    if (!client) {
      client = serviceClient(port);
      clients.set(port, client);
    }
    return client;
  };
}
