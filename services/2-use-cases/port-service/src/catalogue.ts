import type { components as tokenStorage } from '@rds/contracts/generated/token-storage';
import type { components } from '@rds/contracts/generated/port-service';

type Service = tokenStorage['schemas']['Service'];
type Connection = tokenStorage['schemas']['Connection'];
export type CatalogueEntry = components['schemas']['CatalogueEntry'];
export type ConnectionState = components['schemas']['ConnectionState'];

/** A service that asks for nothing (a folder or archive on this server) is always ready. */
function connectMethod(service: Service): CatalogueEntry['connect'] {
  if (service.authType === 'oauth2') return { method: 'oauth2' };
  const { userId = false, password = false } = service.credentials ?? {};
  return userId || password ? { method: 'credentials', userId, password } : { method: 'none' };
}

function text(description: Service['description']): string | undefined {
  if (description === undefined || typeof description === 'string') return description;
  return description.en ?? Object.values(description)[0];
}

export function connectionState(
  servicename: string,
  connection: Connection | undefined,
): ConnectionState {
  if (!connection) return { servicename, state: 'not-connected' };
  return {
    servicename,
    state: connection.state,
    ...(connection.userId ? { userId: connection.userId } : {}),
    ...(connection.expiresAt ? { expiresAt: connection.expiresAt } : {}),
    connectedAt: connection.connectedAt,
  };
}

/** The registry as a user sees it: what each service offers and whether it is theirs to use. */
export function catalogue(services: Service[], connections: Connection[]): CatalogueEntry[] {
  const byService = new Map(connections.map((c) => [c.servicename, c]));
  return services.map((service) => {
    const connect = connectMethod(service);
    const description = text(service.description);
    return {
      servicename: service.servicename,
      displayName: service.displayName ?? service.servicename,
      ...(description ? { description } : {}),
      ...(service.icon ? { icon: service.icon } : {}),
      ...(service.infoUrl ? { infoUrl: service.infoUrl } : {}),
      ...(service.helpUrl ? { helpUrl: service.helpUrl } : {}),
      implements: service.implements,
      connect,
      connection:
        connect.method === 'none'
          ? { servicename: service.servicename, state: 'connected' }
          : connectionState(service.servicename, byService.get(service.servicename)),
    };
  });
}
