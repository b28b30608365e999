import { type Layer } from '@rds/kit';
import { forbiddenCall, type AnyServiceDefinition } from '@rds/kit/host';

/** A service the `rds` command can run. */
interface Entry {
  name: string;
  /** Its definition; imported only when needed, so that `rds token` does not load every service. */
  load: () => Promise<AnyServiceDefinition>;
  /** A port to an outside service: `rds start` runs it only once it is configured. */
  external?: true;
}

/** Every RDS service the `rds` command can run; `rds start` derives their order (startOrder). */
export const SERVICES: Entry[] = [
  { name: 'token-storage', load: async () => (await import('@rds/token-storage')).definition },
  {
    name: 'research-manager',
    load: async () => (await import('@rds/research-manager')).definition,
  },
  { name: 'local-folder', load: async () => (await import('@rds/local-folder')).definition },
  { name: 's3', load: async () => (await import('@rds/s3')).definition, external: true },
  { name: 'webdav', load: async () => (await import('@rds/webdav')).definition, external: true },
  {
    name: 'zenodo',
    load: async () => (await import('@rds/invenio-rdm')).definitionFromEnvironment(),
    external: true,
  },
  { name: 'local-archive', load: async () => (await import('@rds/local-archive')).definition },
  { name: 'metadata', load: async () => (await import('@rds/metadata')).definition },
  { name: 'port-service', load: async () => (await import('@rds/port-service')).definition },
  { name: 'exporter', load: async () => (await import('@rds/exporter')).definition },
  { name: 'research', load: async () => (await import('@rds/research')).definition },
  { name: 'web', load: async () => (await import('@rds/web')).definition },
];

export function serviceNames(): string[] {
  return SERVICES.map((s) => s.name);
}

export function isExternalPort(name: string): boolean {
  return SERVICES.some((s) => s.name === name && s.external);
}

export async function loadService(name: string): Promise<AnyServiceDefinition> {
  const entry = SERVICES.find((s) => s.name === name);
  if (!entry) {
    const known = serviceNames().join(', ') || 'none yet';
    throw new Error(`There is no service '${name}'. Services: ${known}.`);
  }
  return entry.load();
}

const START_RANK: Record<Layer, number> = { 3: 0, 1: 1, 2: 2, 0: 3 };

/** The services a service calls: those it declares, and every port if it finds ports by name. */
export function calleesOf(
  definition: AnyServiceDefinition,
  all: AnyServiceDefinition[],
): AnyServiceDefinition[] {
  const declared = Object.keys(definition.calls ?? {});
  return all.filter(
    (other) => declared.includes(other.name) || (definition.findsPortsByName && other.layer === 1),
  );
}

/**
 * The order to start services in: each after every service it calls. Calls go down only (a call
 * the layer rules forbid is refused here), so central services, then ports, use cases and the web
 * front end is such an order.
 */
export function startOrder(definitions: AnyServiceDefinition[]): AnyServiceDefinition[] {
  for (const definition of definitions) {
    for (const callee of calleesOf(definition, definitions)) {
      const forbidden = forbiddenCall(definition.layer, callee.layer);
      if (forbidden)
        throw new Error(
          `${definition.name} (layer ${definition.layer}) calls ${callee.name} (layer ${callee.layer}), but ${forbidden}`,
        );
    }
  }
  return [...definitions].sort((a, b) => START_RANK[a.layer] - START_RANK[b.layer]);
}
