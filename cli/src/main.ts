import { Command, InvalidArgumentError, Option } from 'commander';
import rootPackage from '../../package.json' with { type: 'json' };
import { ConfigError, createTokenSigner, MAX_TOKEN_LIFETIME, readSettings } from '@rds/kit';
import { loadSettings, serve, settingsSchemaOf } from '@rds/kit/host';
import { FolderInUseError } from '@rds/storage';
import { INTERFACES, portName, type PortInterface } from './port-name.ts';
import { loadService, serviceNames } from './services.ts';
import { DEFAULT_PORT, start } from './start.ts';

const program = new Command('rds')
  .description(
    'Research Data Services: from where researchers keep their data to where they publish it.',
  )
  .showHelpAfterError()
  .version(rootPackage.version);

function port(value: string): string {
  if (!/^\d+$/.test(value) || Number(value) > 65535)
    throw new InvalidArgumentError('a port number (0-65535)');
  return value;
}

program
  .command('start')
  .description(
    'Run every service in this one process on the embedded default (PGlite, local folder and archive).',
  )
  .option(
    '--data-dir <dir>',
    'where RDS keeps its data (RDS_DATA_DIR)',
    process.env.RDS_DATA_DIR ?? './.rds',
  )
  .option(
    '-p, --port <port>',
    `where the web UI listens (PORT; default ${DEFAULT_PORT}, another one when it is taken)`,
    port,
  )
  .action(async (options: { dataDir: string; port?: string }) => {
    const { urls, skipped } = await start({
      dataDir: options.dataDir,
      ...(options.port ? { port: Number(options.port) } : {}),
    });
    for (const name of Object.keys(urls)) console.log(`${name.padEnd(20)} ${urls[name]}`);
    for (const reason of skipped) console.log(`not started: ${reason}`);
    console.log(`\nRDS is running (data in ${options.dataDir}). Press Ctrl-C to stop.\n`);
    console.log(`Open ${urls.web} in your browser`);
  });

program
  .command('serve')
  .description('Run one service, configured by environment variables or RDS_CONFIG_FILE.')
  .argument('<service>', `one of: ${serviceNames().join(', ') || 'none yet'}`)
  .option('-p, --port <port>', 'port to listen on (PORT)', port)
  .action(async (name: string, options: { port?: string }) => {
    const definition = await loadService(name);
    await serve(definition, { ...process.env, ...(options.port ? { PORT: options.port } : {}) });
  });

program
  .command('token')
  .description('Print a service token, for operators calling an internal API by hand.')
  .requiredOption('--service <caller>', 'the service the token speaks for (iss)')
  .option('--audience <callee>', 'the service it is for (aud); defaults to the caller')
  .option('--tenant <tenant>', 'the tenant it acts in')
  .option('--user <user>', 'the user it acts for (sub)')
  .option(
    '--lifetime <seconds>',
    `seconds it stays valid, at most ${MAX_TOKEN_LIFETIME}`,
    String(MAX_TOKEN_LIFETIME),
  )
  .action(
    (options: {
      service: string;
      audience?: string;
      tenant?: string;
      user?: string;
      lifetime: string;
    }) => {
      const settings = loadSettings({ type: 'object', properties: {} });
      const sign = createTokenSigner(settings.RDS_SERVICE_SECRET);
      console.log(
        sign({
          issuer: options.service,
          audience: options.audience ?? options.service,
          tenant: options.tenant,
          user: options.user,
          lifetime: Number(options.lifetime),
        }),
      );
    },
  );

program
  .command('new')
  .description('Make a new part of RDS in this repository.')
  .command('port')
  .description(
    'Scaffold a port (layer 1) in services/1-ports/<name>: the interface stubbed, tests that name ' +
      'what to implement, registration, settings, a README; wired into rds, the deployment and the docs.',
  )
  .argument('<name>', "the port's name, in kebab-case (e.g. my-repository)", portName)
  .addOption(
    new Option('--implements <interface>', 'the port interface it serves')
      .choices(Object.keys(INTERFACES))
      .makeOptionMandatory(),
  )
  .action(async (name: string, options: { implements: PortInterface }) => {
    // Loaded here only: it needs the development tools, which the container image leaves out.
    const { newPort } = await import('./new-port.ts');
    const { created, changed } = await newPort(name, options.implements);
    console.log(`Created:\n${created.map((f) => `  ${f}`).join('\n')}`);
    console.log(`Changed:\n${changed.map((f) => `  ${f}`).join('\n')}`);
    console.log(`
Next:
  npx vitest run services/1-ports/${name}   # every test names the operation it needs
  then write them in services/1-ports/${name}/src/handlers.ts; services/1-ports/${name}/README.md says the rest.`);
  });

program
  .command('reencrypt')
  .description(
    'Re-seal every secret token-storage holds under the first key of RDS_ENCRYPTION_KEY ' +
      '(list the old keys after it: RDS_ENCRYPTION_KEY=<new>,<old>). Safe to repeat.',
  )
  .action(async () => {
    const tokenStorage = await import('@rds/token-storage');
    // Its key and its database's settings, as the service reads them.
    const settings = readSettings<Parameters<typeof tokenStorage.reencryptAll>[0]>(
      settingsSchemaOf(tokenStorage.definition),
    );
    const counts = await tokenStorage.reencryptAll(settings);
    console.log(
      `Re-sealed ${counts.clientSecrets} client secrets and ${counts.connectionSecrets} user secrets.`,
    );
  });

try {
  await program.parseAsync();
} catch (error) {
  // Configuration and usage errors are the user's to fix: say what is wrong, without a stack.
  const known =
    error instanceof ConfigError ||
    error instanceof FolderInUseError ||
    (error as Error).message.startsWith('There is no service');
  console.error(known ? `rds: ${(error as Error).message}` : error);
  process.exit(1);
}
