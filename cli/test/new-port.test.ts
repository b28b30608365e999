/**
 * `rds new port` as a developer uses it, in a copy of the repository: the new port typechecks,
 * its tests (the interface's conformance suite) fail naming the method left to write, and once
 * the methods are written (from a fixture) they pass, the port registering with a real
 * token-storage.
 */
import { execFile } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { copyRepository } from './repository-copy.ts';

const FIXTURE = fileURLToPath(new URL('./fixtures/in-memory-file-storage.ts', import.meta.url));
const REPOSITORY_FIXTURE = fileURLToPath(
  new URL('./fixtures/in-memory-repository.ts', import.meta.url),
);
const run = promisify(execFile);
/** The child runs as a developer's shell would, not as a worker of this test run. */
const env = Object.fromEntries(
  Object.entries(process.env).filter(([name]) => !name.startsWith('VITEST')),
);

let copy: string;

/** Runs a command in the copy; its exit code, standard output and error, whatever they are. */
async function inCopy(command: string, ...args: string[]) {
  try {
    const { stdout, stderr } = await run(command, args, { cwd: copy, env, maxBuffer: 2 ** 26 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const { code, stdout, stderr } = error as { code: number; stdout: string; stderr: string };
    return { code, stdout, stderr };
  }
}

interface VitestReport {
  numFailedTests: number;
  numPassedTests: number;
  testResults: {
    name: string;
    assertionResults: { title: string; status: string; failureMessages: string[] }[];
  }[];
}

/** The generated tests of one port, run in the copy, as vitest's JSON report. */
async function portTests(name: string): Promise<VitestReport> {
  const report = join(copy, `${name}-report.json`);
  await inCopy(
    'npx',
    'vitest',
    'run',
    `services/1-ports/${name}/`,
    '--reporter=json',
    `--outputFile=${report}`,
  );
  return JSON.parse(readFileSync(report, 'utf8')) as VitestReport;
}

const results = (report: VitestReport) =>
  report.testResults.flatMap((file) => file.assertionResults);

/**
 * The methods the interface's suite names when nothing is written: each test fails at its first
 * call, so a repository's tests of files and versions name createDraft, which they start with.
 */
const FIRST_NAMED = {
  'file-storage': ['delete', 'list', 'makeFolder', 'read', 'stat', 'write'],
  repository: ['capabilities', 'checkMetadata', 'createDraft', 'readRecord'],
};

/** What the kit, the registration and @rds/ports give before any method is written. */
const PASSING_UNWRITTEN = {
  'file-storage': [
    'a call without a service token is refused',
    'a path that climbs out is 400 storage.badPath, whoever asks',
    'a user without a connection: 403 storage.credentialsRefused',
    'registers with token-storage as a fileStorage',
  ],
  repository: [
    'a call without a service token is refused',
    'registers with token-storage as a repository',
  ],
};

beforeAll(() => {
  copy = copyRepository();
});
afterAll(() => {
  if (copy) rmSync(copy, { recursive: true, force: true });
});

test('refuses a bad name or interface, saying why, and writes nothing', async () => {
  const before = readFileSync(join(copy, 'cli/src/services.ts'), 'utf8');
  const ports = readdirSync(join(copy, 'services/1-ports')).sort();
  const refusals: [string[], RegExp][] = [
    [['My_Port', '--implements', 'fileStorage'], /kebab-case/],
    [['-demo', '--implements', 'fileStorage'], /unknown option|kebab-case/],
    [['webdav', '--implements', 'fileStorage'], /There is a service webdav/],
    [['local-archive', '--implements', 'repository'], /There is a service local-archive/],
    [['token-storage', '--implements', 'repository'], /There is a service token-storage/],
    [['demo', '--implements', 'storage'], /Allowed choices are fileStorage, repository/],
    [['demo'], /required option '--implements <interface>' not specified/],
  ];
  for (const [args, why] of refusals) {
    const answer = await inCopy('node', 'bin/rds', 'new', 'port', ...args);
    expect(answer.code, args.join(' ')).not.toBe(0);
    expect(answer.stderr, args.join(' ')).toMatch(why);
  }
  expect(readFileSync(join(copy, 'cli/src/services.ts'), 'utf8')).toBe(before);
  expect(readdirSync(join(copy, 'services/1-ports')).sort()).toEqual(ports);
}, 120_000);

describe('new ports: demo (fileStorage) and demo-archive (repository)', () => {
  const made: Record<string, { code: number; stdout: string; stderr: string }> = {};

  beforeAll(async () => {
    made.demo = await inCopy(
      'node',
      'bin/rds',
      'new',
      'port',
      'demo',
      '--implements',
      'fileStorage',
    );
    made['demo-archive'] = await inCopy(
      'node',
      'bin/rds',
      'new',
      'port',
      'demo-archive',
      '--implements',
      'repository',
    );
  }, 300_000);

  test('are made, and say what they made and what to do next', () => {
    for (const [name, answer] of Object.entries(made)) {
      expect(answer.code, answer.stderr).toBe(0);
      for (const file of ['package.json', 'tsconfig.json', 'README.md', 'src/index.ts']) {
        expect(answer.stdout).toContain(`services/1-ports/${name}/${file}`);
        expect(existsSync(join(copy, 'services/1-ports', name, file))).toBe(true);
      }
      expect(answer.stdout).toContain(`services/1-ports/${name}/test/${name}.test.ts`);
      expect(answer.stdout).toContain(`deploy/kubernetes/base/${name}.yaml`);
      expect(answer.stdout).toContain(`npx vitest run services/1-ports/${name}`);
    }
  });

  test('take their version from the repository, and are wired into rds, the workspace, the deployment and the docs', async () => {
    const { version } = JSON.parse(readFileSync(join(copy, 'package.json'), 'utf8'));
    const port = JSON.parse(readFileSync(join(copy, 'services/1-ports/demo/package.json'), 'utf8'));
    expect(port).toMatchObject({ name: '@rds/demo', version });
    const cli = JSON.parse(readFileSync(join(copy, 'cli/package.json'), 'utf8'));
    expect(cli.dependencies).toMatchObject({ '@rds/demo': '*', '@rds/demo-archive': '*' });
    const lock = JSON.parse(readFileSync(join(copy, 'package-lock.json'), 'utf8'));
    expect(lock.packages['node_modules/@rds/demo']).toEqual({
      resolved: 'services/1-ports/demo',
      link: true,
    });
    // rds knows them, and leaves them out of `rds start` until their server is set.
    const help = await inCopy('node', 'bin/rds', 'serve', '--help');
    expect(help.stdout).toMatch(/demo, .*demo-archive|demo-archive, .*demo\b/s);
    const services = readFileSync(join(copy, 'cli/src/services.ts'), 'utf8');
    // As a port to an outside service, whatever line breaks the formatter gave the entry.
    for (const name of ['demo', 'demo-archive'])
      expect(services.replace(/\s+/g, ' ')).toContain(
        `name: '${name}', load: async () => (await import('@rds/${name}')).definition, external: true`,
      );
    const compose = readFileSync(join(copy, 'deploy/compose.yaml'), 'utf8');
    expect(compose).toContain('RDS_DEMO_SERVER_URL: https://demo.example.org');
    const docs = readFileSync(join(copy, 'docs/api/README.md'), 'utf8');
    expect(docs).toMatch(/served by .*demo \(layer 1\)/);
  });

  test('typecheck, with rds, the deployment generator and the docs', async () => {
    writeFileSync(
      join(copy, 'tsconfig.check.json'),
      JSON.stringify({
        extends: './tsconfig.json',
        include: [
          'cli',
          'deploy',
          'docs',
          'services/1-ports/demo',
          'services/1-ports/demo-archive',
        ],
      }),
    );
    const check = await inCopy('npx', 'tsc', '--noEmit', '-p', 'tsconfig.check.json');
    expect(check.stdout).toBe('');
    expect(check.code).toBe(0);
  }, 180_000);

  test('leave the generated deployment files and docs current', async () => {
    const current = await inCopy(
      'npx',
      'vitest',
      'run',
      'deploy/deploy.test.ts',
      'docs/docs.test.ts',
      '-t',
      'current',
    );
    expect(current.code, current.stdout + current.stderr).toBe(0);
    expect(current.stdout).toMatch(/2 passed/);
  }, 180_000);

  test('have the suite of their interface as tests, which with nothing implemented fail naming the method to write', async () => {
    for (const [name, contract] of [
      ['demo', 'file-storage'],
      ['demo-archive', 'repository'],
    ] as const) {
      const report = await portTests(name);
      const file = `services/1-ports/${name}/src/${contract}.ts`;
      const named = new Set<string>();
      for (const failed of results(report).filter((r) => r.status === 'failed')) {
        const said = /(\w+) is not implemented yet: write it in (\S+)\./.exec(
          failed.failureMessages.join('\n'),
        );
        expect(said?.[2], `${name}: ${failed.title}`).toBe(file);
        named.add(said![1]!);
      }
      expect([...named].sort(), name).toEqual(FIRST_NAMED[contract]);
      const passed = results(report)
        .filter((r) => r.status === 'passed')
        .map((r) => r.title);
      expect(passed.sort(), name).toEqual(PASSING_UNWRITTEN[contract]);
    }
  }, 180_000);

  test('pass once the methods are written, the port registering with token-storage', async () => {
    copyFileSync(FIXTURE, join(copy, 'services/1-ports/demo/src/file-storage.ts'));
    const report = await portTests('demo');
    const failed = results(report).filter((r) => r.status !== 'passed');
    expect(failed).toEqual([]);
    expect(results(report).map((r) => r.title)).toContain(
      'registers with token-storage as a fileStorage',
    );
    expect(report.numPassedTests).toBe(15);
  }, 180_000);

  test('a repository port passes too once its methods are written', async () => {
    copyFileSync(REPOSITORY_FIXTURE, join(copy, 'services/1-ports/demo-archive/src/repository.ts'));
    const report = await portTests('demo-archive');
    const failed = results(report).filter((r) => r.status !== 'passed');
    expect(failed).toEqual([]);
    expect(report.numPassedTests).toBe(12);
  }, 180_000);
});
