/**
 * `rds new port <name> --implements fileStorage|repository`: a new port in services/1-ports/<name>,
 * made from the templates in cli/templates/port/, and wired into `rds` (cli/src/services.ts),
 * the workspace, the deployment files and the API docs, so that nothing is kept in sync by hand.
 */
import { execFileSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import Handlebars from 'handlebars';
import { format, resolveConfig } from 'prettier';
import ts from 'typescript';
import { INTERFACES, ROOT, type PortInterface } from './port-name.ts';

const TEMPLATES = join(ROOT, 'cli/templates/port');
const SERVICES_FILE = 'cli/src/services.ts';

export interface NewPort {
  /** Files made, relative to the repository. */
  created: string[];
  /** Files changed or regenerated, relative to the repository. */
  changed: string[];
}

/** Makes the port; `name` has passed {@link portName}. */
export async function newPort(name: string, portInterface: PortInterface): Promise<NewPort> {
  const folder = `services/1-ports/${name}`;
  const files = await render(name, portInterface);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(ROOT, folder, path)), { recursive: true });
    writeFileSync(join(ROOT, folder, path), text);
  }
  const generated = snapshot();
  await wireIntoServices(name);
  addToWorkspace(name);
  return {
    created: Object.keys(files).map((path) => `${folder}/${path}`),
    changed: [SERVICES_FILE, 'cli/package.json', 'package-lock.json', ...regenerate(generated)],
  };
}

/** The files the generators below write, as they are now. */
function snapshot(): Map<string, string> {
  const files = readdirSync(join(ROOT, 'deploy'), { recursive: true, encoding: 'utf8' })
    .map((file) => `deploy/${file}`)
    .concat('docs/api/README.md')
    .filter((file) => existsSync(join(ROOT, file)) && statSync(join(ROOT, file)).isFile());
  return new Map(files.map((file) => [file, readFileSync(join(ROOT, file), 'utf8')]));
}

/**
 * Runs the generators of the deployment files and the API docs (`npm run deploy:generate` runs
 * both), which read the service list, and returns the files they changed. In a fresh process: it
 * must see the list as it is now, not as this one loaded it.
 */
function regenerate(before: Map<string, string>): string[] {
  return execFileSync('npm', ['run', '--silent', 'deploy:generate'], {
    cwd: ROOT,
    encoding: 'utf8',
  })
    .split('\n')
    .filter(
      (file) =>
        file !== '' &&
        existsSync(join(ROOT, file)) &&
        before.get(file) !== readFileSync(join(ROOT, file), 'utf8'),
    );
}

/** Every file of the new port, by its path in the port's folder, formatted as Prettier leaves it. */
async function render(name: string, portInterface: PortInterface): Promise<Record<string, string>> {
  const { contract, purpose } = INTERFACES[portInterface];
  const rootPackage = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
    version: string;
  };
  const words = name.split('-');
  const data = {
    name,
    interface: portInterface,
    storage: portInterface === 'fileStorage',
    contract,
    purpose,
    version: rootPackage.version,
    title: words.map((w) => w[0]!.toUpperCase() + w.slice(1)).join(' '),
    pascal: words.map((w) => w[0]!.toUpperCase() + w.slice(1)).join(''),
    prefix: `RDS_${name.toUpperCase().replace(/-/g, '_')}`,
  };
  const sources: Record<string, string> = {
    'package.json': 'package.json.hbs',
    'tsconfig.json': 'tsconfig.json.hbs',
    'README.md': 'README.md.hbs',
    'src/index.ts': 'src/index.ts.hbs',
    [`src/${contract}.ts`]: `src/${contract}.ts.hbs`,
    [`test/${name}.test.ts`]: `test/${contract}.ts.hbs`,
  };
  const files: Record<string, string> = {};
  for (const [path, template] of Object.entries(sources)) {
    const text = Handlebars.compile(readFileSync(join(TEMPLATES, template), 'utf8'), {
      noEscape: true,
      strict: true,
    })(data);
    files[path] = await formatted(join(ROOT, 'services/1-ports', name, path), text);
  }
  return files;
}

async function formatted(filepath: string, text: string): Promise<string> {
  return format(text, { ...(await resolveConfig(filepath)), filepath });
}

/**
 * Adds the port to SERVICES as a port to an outside service, which `rds start` runs only once it
 * is configured; where it starts comes from what it calls (startOrder).
 */
async function wireIntoServices(name: string): Promise<void> {
  const file = join(ROOT, SERVICES_FILE);
  const source = readFileSync(file, 'utf8');
  const tree = ts.createSourceFile(file, source, ts.ScriptTarget.Latest, true);
  const services = initializer(tree, 'SERVICES', ts.isArrayLiteralExpression);
  const entry = `{ name: '${name}', load: async () => (await import('@rds/${name}')).definition, external: true }`;
  const last = services.elements.at(-1);
  const text = last
    ? `${source.slice(0, last.end)},\n${entry}${source.slice(last.end)}`
    : `${source.slice(0, services.elements.pos)}\n${entry}${source.slice(services.elements.pos)}`;
  writeFileSync(file, await formatted(file, text));
}

function initializer<T extends ts.Node>(
  tree: ts.SourceFile,
  variable: string,
  is: (node: ts.Node) => node is T,
): T {
  let found: T | undefined;
  const visit = (node: ts.Node): void => {
    if (ts.isVariableDeclaration(node) && node.name.getText(tree) === variable) {
      if (node.initializer && is(node.initializer)) found = node.initializer;
    }
    ts.forEachChild(node, visit);
  };
  visit(tree);
  if (!found) throw new Error(`${SERVICES_FILE}: no ${variable} of the expected kind`);
  return found;
}

/**
 * Makes the port a dependency of the cli and a workspace package: linked in node_modules as
 * `npm install` links it, and recorded in package-lock.json, so that `npm ci` takes it.
 */
function addToWorkspace(name: string): void {
  const manifest = join(ROOT, 'cli/package.json');
  const cli = JSON.parse(readFileSync(manifest, 'utf8')) as {
    dependencies: Record<string, string>;
  };
  cli.dependencies[`@rds/${name}`] = '*';
  cli.dependencies = Object.fromEntries(
    Object.entries(cli.dependencies).sort(([a], [b]) => a.localeCompare(b)),
  );
  writeFileSync(manifest, `${JSON.stringify(cli, null, 2)}\n`);
  const link = join(ROOT, 'node_modules/@rds', name);
  if (!existsSync(link)) symlinkSync(`../../services/1-ports/${name}`, link);
  execFileSync(
    'npm',
    ['install', '--package-lock-only', '--offline', '--no-audit', '--no-fund', '--silent'],
    { cwd: ROOT, stdio: 'inherit' },
  );
}
