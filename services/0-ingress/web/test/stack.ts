/**
 * Real RDS for web's tests, every service over HTTP on 127.0.0.1 as in production: token-storage,
 * research-manager (PGlite), the local-folder source and local-archive target, WebDAV and Zenodo
 * ports when a test brings their servers, metadata, port-service, exporter, research, and web.
 */
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AnyServiceDefinition } from '@rds/kit/host';
import { startTestService, type RunningService } from '@rds/kit/testing';
import { definitionFromEnvironment as invenioRdm } from '@rds/invenio-rdm';
import type { ApacheDav, FakeInvenio, TestProvider } from '@rds/test-peers';
import { definition as exporter } from '@rds/exporter';
import { definition as localArchive } from '@rds/local-archive';
import { definition as localFolder, userFolder } from '@rds/local-folder';
import { definition as metadata } from '@rds/metadata';
import { definition as portService } from '@rds/port-service';
import { startTokenStorage } from '@rds/token-storage/testing';
import { definition as research } from '@rds/research';
import { definition as researchManager } from '@rds/research-manager';
import { definition as webdav } from '@rds/webdav';
import { definition as web, LOCAL_USER } from '../src/index.ts';

export const SAMPLE_DATA = fileURLToPath(new URL('../../../../sample-data', import.meta.url));

/** web's settings to sign users in through `provider`, web listening on `port` of 127.0.0.1. */
export function signInThrough(provider: TestProvider, port: number): Record<string, string> {
  const url = `http://127.0.0.1:${port}`;
  return {
    PORT: String(port),
    RDS_WEB_PUBLIC_URL: url,
    RDS_OIDC_ISSUER: provider.issuer,
    RDS_OIDC_CLIENT_ID: provider.clientId,
    RDS_OIDC_CLIENT_SECRET: provider.clientSecret,
    RDS_OIDC_SCOPE: 'openid',
  };
}

export interface StackOptions {
  /** web's own settings: an identity provider, its public address. */
  webEnv?: Record<string, string>;
  apache?: ApacheDav;
  zenodo?: FakeInvenio;
}

export interface Stack {
  web: RunningService;
  url: string;
  /** The local user's folder in the local-folder source: a copy of the sample dataset. */
  files: string;
  /** A user's folder in the local-folder source (tenant `default`), a copy of the sample dataset. */
  folderOf: (user: string) => string;
  archive: string;
  /** token-storage's address: to register a service, or to read what it keeps for a user. */
  tokenStorage: string;
  close: () => Promise<void>;
}

export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const scratch = mkdtempSync(join(tmpdir(), 'rds-web-test-'));
  const root = join(scratch, 'files');
  const folderOf = (user: string) => {
    const folder = userFolder(root, 'default', user);
    if (!existsSync(folder)) cpSync(SAMPLE_DATA, folder, { recursive: true });
    return folder;
  };
  const running: RunningService[] = [];
  const start = async (definition: AnyServiceDefinition, env: Record<string, string>) => {
    const service = await startTestService(definition, env);
    running.unshift(service);
    return service.url;
  };
  const tokenStorage = await startTokenStorage();
  running.unshift(tokenStorage);
  const registry = { RDS_TOKEN_STORAGE_URL: tokenStorage.url };
  const rm = await start(researchManager, { RDS_DATA_DIR: join(scratch, 'research-manager') });
  const ports: Record<string, string> = {
    RDS_LOCAL_FOLDER_URL: await start(localFolder, { ...registry, RDS_LOCAL_FOLDER_ROOT: root }),
    RDS_LOCAL_ARCHIVE_URL: await start(localArchive, {
      ...registry,
      RDS_LOCAL_ARCHIVE_ROOT: join(scratch, 'archive'),
    }),
  };
  if (options.apache)
    ports.RDS_WEBDAV_URL = await start(webdav, {
      ...registry,
      RDS_WEBDAV_SERVER_URL: options.apache.url,
    });
  if (options.zenodo)
    ports.RDS_ZENODO_URL = await start(invenioRdm(), {
      ...registry,
      RDS_INVENIO_URL: options.zenodo.url,
      RDS_INVENIO_DISPLAY_NAME: 'Zenodo',
    });
  const layer2 = {
    RDS_METADATA_URL: await start(metadata, { ...registry, ...ports }),
    RDS_PORT_SERVICE_URL: await start(portService, registry),
    RDS_EXPORTER_URL: await start(exporter, {
      ...registry,
      ...ports,
      RDS_DATA_DIR: join(scratch, 'exporter'),
      RDS_RESEARCH_MANAGER_URL: rm,
      RDS_EXPORTER_POLL_MS: '100',
      RDS_EXPORTER_PROGRESS_INTERVAL_MS: '100',
    }),
    RDS_RESEARCH_URL: await start(research, {
      ...registry,
      ...ports,
      RDS_RESEARCH_MANAGER_URL: rm,
    }),
  };
  const webService = await startTestService(web, {
    ...layer2,
    RDS_DATA_DIR: join(scratch, 'web'),
    ...options.webEnv,
  });
  running.unshift(webService);
  return {
    web: webService,
    url: webService.url,
    files: folderOf(LOCAL_USER),
    folderOf,
    archive: join(scratch, 'archive'),
    tokenStorage: tokenStorage.url,
    close: async () => {
      for (const service of running) await service.close();
      rmSync(scratch, { recursive: true, force: true });
    },
  };
}
