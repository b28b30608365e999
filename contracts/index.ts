import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Contract } from '@rds/kit';
import type { operations as Exporter } from './generated/exporter.ts';
import type { operations as FileStorage } from './generated/file-storage.ts';
import type { operations as Metadata } from './generated/metadata.ts';
import type { operations as PortService } from './generated/port-service.ts';
import type { operations as Repository } from './generated/repository.ts';
import type { operations as Research } from './generated/research.ts';
import type { operations as ResearchManager } from './generated/research-manager.ts';
import type { operations as TokenStorage } from './generated/token-storage.ts';
import type { operations as Web } from './generated/web.ts';

const root = fileURLToPath(new URL('.', import.meta.url));

/** Each service's operations, by the service's name. */
export interface ServiceOperations {
  exporter: Exporter;
  metadata: Metadata;
  'port-service': PortService;
  research: Research;
  'research-manager': ResearchManager;
  'token-storage': TokenStorage;
  web: Web;
}
/** The layer of each service (ARCHITECTURE.md), carried by its contract: calls go down. */
export interface ServiceLayers {
  exporter: 2;
  metadata: 2;
  'port-service': 2;
  research: 2;
  'research-manager': 3;
  'token-storage': 3;
  web: 0;
}
/** The operations every port of one kind serves, by the interface's name. */
export interface InterfaceOperations {
  'file-storage': FileStorage;
  repository: Repository;
}

/** The OpenAPI document of a service (`services/<name>.yaml`). */
export function serviceContract<Name extends keyof ServiceOperations>(
  name: Name,
): Contract<ServiceOperations[Name], ServiceLayers[Name]> {
  return `${root}services/${name}.yaml`;
}

/** The OpenAPI document every port of one kind serves (`interfaces/<name>.yaml`); ports are layer 1. */
export function interfaceContract<Name extends keyof InterfaceOperations>(
  name: Name,
): Contract<InterfaceOperations[Name], 1> {
  return `${root}interfaces/${name}.yaml`;
}

/** Every contract in the repository, by its path under contracts/. */
export function allContracts(): string[] {
  return ['services', 'interfaces'].flatMap((folder) =>
    readdirSync(`${root}${folder}`)
      .filter((file) => file.endsWith('.yaml'))
      .sort()
      .map((file) => `${folder}/${file}`),
  );
}

export const CONTRACTS_ROOT = root;
