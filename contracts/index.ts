import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('.', import.meta.url));

/** The OpenAPI document of a service (`services/<name>.yaml`). */
export function serviceContract(name: string): string {
  return `${root}services/${name}.yaml`;
}

/** The OpenAPI document every port of one kind serves (`interfaces/<name>.yaml`). */
export function interfaceContract(name: 'file-storage' | 'repository'): string {
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
