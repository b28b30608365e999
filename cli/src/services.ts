import type { ServiceDefinition } from '@rds/kit';

/**
 * Every RDS service the `rds` command can run, in start order: central services first, then
 * ports, use cases and the web front end, so each finds the ones it calls already listening.
 * Imports are lazy, so `rds token` does not load every service.
 */
export const SERVICES: Record<string, () => Promise<ServiceDefinition<never>>> = {
  'token-storage': async () =>
    (await import('@rds/token-storage')).definition as ServiceDefinition<never>,
  'research-manager': async () =>
    (await import('@rds/research-manager')).definition as ServiceDefinition<never>,
  'local-folder': async () =>
    (await import('@rds/local-folder')).definition as ServiceDefinition<never>,
  s3: async () => (await import('@rds/s3')).definition as ServiceDefinition<never>,
  webdav: async () => (await import('@rds/webdav')).definition as ServiceDefinition<never>,
  zenodo: async () =>
    (await import('@rds/invenio-rdm')).definitionFromEnvironment() as ServiceDefinition<never>,
  'local-archive': async () =>
    (await import('@rds/local-archive')).definition as ServiceDefinition<never>,
  metadata: async () => (await import('@rds/metadata')).definition as ServiceDefinition<never>,
  'port-service': async () =>
    (await import('@rds/port-service')).definition as ServiceDefinition<never>,
  exporter: async () => (await import('@rds/exporter')).definition as ServiceDefinition<never>,
  research: async () => (await import('@rds/research')).definition as ServiceDefinition<never>,
  web: async () => (await import('@rds/web')).definition as ServiceDefinition<never>,
};

/**
 * Ports to outside services: `rds start` runs them only when they are configured (their required
 * settings are set), since the embedded default needs no account anywhere.
 */
export const EXTERNAL_PORTS = new Set(['s3', 'webdav', 'zenodo']);

export function serviceNames(): string[] {
  return Object.keys(SERVICES);
}

export async function loadService(name: string): Promise<ServiceDefinition<never>> {
  const load = SERVICES[name];
  if (!load) {
    const known = serviceNames().join(', ') || 'none yet';
    throw new Error(`There is no service '${name}'. Services: ${known}.`);
  }
  return load();
}
