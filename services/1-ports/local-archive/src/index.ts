/**
 * local-archive (layer 1, repository): a folder on the server as the target records are
 * published to, the embedded default's target. Each published version is a BagIt bag holding
 * its files and an RO-Crate, kept per user beside the versions before it.
 */
import { mkdir, rm } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { SettingsSchema } from '@rds/kit';
import { repositoryPort, type Registration } from '@rds/ports';
import { Archive } from './archive.ts';
import { Layout } from './layout.ts';
import { archiveRepository } from './repository.ts';
import packageJson from '../package.json' with { type: 'json' };

const SETTINGS = {
  type: 'object',
  properties: {
    RDS_LOCAL_ARCHIVE_ROOT: { type: 'string', minLength: 1 },
    /** Bags are written as `.zip` files instead of folders. */
    RDS_LOCAL_ARCHIVE_ZIP: { type: 'boolean', default: false },
    /**
     * The publisher (DataCite 4 Publisher, schema.org `publisher`) a record's RO-Crate names where
     * its metadata names none: the institution that runs this RDS.
     */
    RDS_LOCAL_ARCHIVE_PUBLISHER: {
      type: 'string',
      minLength: 1,
      maxLength: 500,
      default: 'RDS local archive',
    },
  },
  required: ['RDS_LOCAL_ARCHIVE_ROOT'],
} as const satisfies SettingsSchema;

export const REGISTRATION: Registration = {
  servicename: 'local-archive',
  implements: ['repository'],
  // Nothing to connect: the archive is on this server.
  credentials: { userId: false, password: false },
  displayName: 'Archive on this server',
  description: {
    en: 'A folder on the machine RDS runs on, keeping each published version as a BagIt bag with an RO-Crate.',
    de: 'Ein Ordner auf dem Rechner, auf dem RDS läuft; jede veröffentlichte Version wird als BagIt-Bag mit RO-Crate abgelegt.',
  },
};

export const definition = repositoryPort({
  name: 'local-archive',
  version: packageJson.version,
  registration: REGISTRATION,
  settings: SETTINGS,
  setup: async ({ settings }) => {
    const layout = new Layout(resolve(settings.RDS_LOCAL_ARCHIVE_ROOT));
    // Bags still in staging are the rest of publishes cut off by a stop; their drafts remain.
    await rm(layout.staging, { recursive: true, force: true });
    await mkdir(layout.staging, { recursive: true });
    const repository = archiveRepository(
      new Archive(layout, {
        zipped: settings.RDS_LOCAL_ARCHIVE_ZIP,
        publisher: settings.RDS_LOCAL_ARCHIVE_PUBLISHER,
      }),
    );
    // One archive for everyone: each call reaches the records of the user it acts for.
    return { open: () => repository };
  },
});

export default definition;
