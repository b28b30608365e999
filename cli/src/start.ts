import { randomBytes } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';
import { pino } from 'pino';
import { ConfigError, DEFAULT_TENANT, envName } from '@rds/kit';
import {
  createService,
  serviceSettings,
  startTracing,
  stopOnSignals,
  tuneForStreaming,
  type AnyServiceDefinition,
  type Service,
} from '@rds/kit/host';
import { generateKey } from '@rds/secrets';
import { keepFolderPerUser } from './files-layout.ts';
import { isExternalPort, loadService, serviceNames, startOrder } from './services.ts';
import packageJson from '../package.json' with { type: 'json' };

export interface Started {
  services: Service[];
  /** Where each service listens. */
  urls: Record<string, string>;
  /** Ports to outside services left out because they are not configured, and why. */
  skipped: string[];
}

export interface StartOptions {
  dataDir: string;
  env?: NodeJS.ProcessEnv;
  /** Where web listens; another free port when this one is taken. */
  port?: number;
}

/** The embedded default's address for the browser, unless `--port` or `PORT` says otherwise. */
export const DEFAULT_PORT = 8080;

/**
 * `rds start`: every service in this one process on the embedded default: PGlite in the data
 * folder, internal services on free ports of 127.0.0.1, anonymous registration on.
 */
export async function start({
  dataDir,
  env = process.env,
  port = Number(env.PORT ?? DEFAULT_PORT),
}: StartOptions): Promise<Started> {
  mkdirSync(dataDir, { recursive: true });
  const shared: NodeJS.ProcessEnv = {
    LOG_LEVEL: 'warn',
    RDS_SHUTDOWN_DELAY_MS: '0',
    RDS_ALLOW_ANONYMOUS_REGISTRATION: 'true',
    // One process, so a per-run key is enough for service tokens; they live minutes anyway.
    RDS_SERVICE_SECRET: randomBytes(32).toString('hex'),
    RDS_ENCRYPTION_KEY: embeddedEncryptionKey(dataDir),
    RDS_LOCAL_FOLDER_ROOT: env.RDS_LOCAL_FOLDER_ROOT ?? resolve(dataDir, 'files'),
    RDS_LOCAL_ARCHIVE_ROOT: resolve(dataDir, 'archive'),
    ...env,
    RDS_DATA_DIR: resolve(dataDir),
    HOST: '127.0.0.1',
  };
  if (!env.RDS_LOCAL_FOLDER_ROOT) await offerSampleData(shared);
  startTracing({
    serviceName: 'rds',
    version: packageJson.version,
    otlpEndpoint: shared.OTEL_EXPORTER_OTLP_ENDPOINT,
  });
  const services: Service[] = [];
  const skipped: string[] = [];
  const definitions = startOrder(await Promise.all(serviceNames().map(loadService)));
  for (const definition of definitions) {
    const { name } = definition;
    const settings = settingsOf(definition, { ...shared, PORT: '0' });
    if (typeof settings === 'string') {
      skipped.push(settings);
      continue;
    }
    if (name === 'web') await buildUi();
    if (definition.streamsFiles) tuneForStreaming();
    const service = await createService(definition, settings);
    shared[envName(name)] =
      name === 'web' ? await listenOn(service, port) : await service.listen(0);
    services.push(service);
  }
  stopOnSignals(services, pino({ level: 'info' }));
  return {
    services,
    skipped,
    urls: Object.fromEntries(services.map((s) => [s.name, shared[envName(s.name)] ?? ''])),
  };
}

/** The UI is built once, and again only when its sources have changed. */
async function buildUi(): Promise<void> {
  const { ensureUi } = await import('@rds/web');
  if (await ensureUi()) console.log('Built the web UI.');
}

/** The browser's port if it is free, another one if not: a second RDS, say, may have it. */
async function listenOn(service: Service, port: number): Promise<string> {
  try {
    return await service.listen(port);
  } catch (error) {
    if ((error as { code?: string }).code !== 'EADDRINUSE') throw error;
    return service.listen(0);
  }
}

/** A service's settings; for an unconfigured port to an outside service, why it is left out. */
function settingsOf(definition: AnyServiceDefinition, env: NodeJS.ProcessEnv) {
  try {
    return serviceSettings(definition, env);
  } catch (error) {
    if (!(error instanceof ConfigError) || !isExternalPort(definition.name)) throw error;
    return `${definition.name} (${error.message.replace(/^Invalid configuration: /, '')})`;
  }
}

/**
 * Secrets at rest stay readable across runs, so the embedded default keeps its key in the data
 * folder, readable by its owner only. Production sets RDS_ENCRYPTION_KEY from a secret store.
 */
function embeddedEncryptionKey(dataDir: string): string {
  const file = resolve(dataDir, 'encryption.key');
  if (!existsSync(file)) writeFileSync(file, `${generateKey()}\n`, { mode: 0o600 });
  return readFileSync(file, 'utf8').trim();
}

const SAMPLE_DATA = fileURLToPath(new URL('../../sample-data', import.meta.url));

/**
 * The embedded default's source: the local user's folder in local-folder starts as a copy of the
 * sample dataset, made once, the user's to change.
 */
async function offerSampleData(env: NodeJS.ProcessEnv): Promise<void> {
  const [{ userFolder }, { LOCAL_USER }] = await Promise.all([
    import('@rds/local-folder'),
    import('@rds/web'),
  ]);
  const tenant = env.RDS_WEB_TENANT ?? DEFAULT_TENANT;
  const root = env.RDS_LOCAL_FOLDER_ROOT!;
  const folder = userFolder(root, tenant, LOCAL_USER);
  if (keepFolderPerUser(root, folder))
    console.log(`Your files in ${root} are now in ${folder}: RDS keeps a folder per user.`);
  if (!existsSync(folder)) cpSync(SAMPLE_DATA, folder, { recursive: true });
}
