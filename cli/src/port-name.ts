import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InvalidArgumentError } from 'commander';
import { serviceNames } from './services.ts';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The interfaces a port may implement, by the name it registers them under. */
export const INTERFACES = {
  fileStorage: { contract: 'file-storage', purpose: 'a source of files' },
  repository: { contract: 'repository', purpose: 'a repository to publish to' },
} as const;
export type PortInterface = keyof typeof INTERFACES;

const KEBAB_CASE = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

/** The name of a new port, refused when it is not kebab-case or a service or folder has it. */
export function portName(name: string): string {
  if (!KEBAB_CASE.test(name) || name.length > 40) {
    throw new InvalidArgumentError(
      'Use kebab-case, e.g. my-repository: lower-case letters and digits, single hyphens between, at most 40 characters.',
    );
  }
  if (serviceNames().includes(name)) throw new InvalidArgumentError(`There is a service ${name}.`);
  const layer = readdirSync(join(ROOT, 'services')).find((folder) =>
    existsSync(join(ROOT, 'services', folder, name)),
  );
  if (layer) throw new InvalidArgumentError(`services/${layer}/${name} exists.`);
  return name;
}
