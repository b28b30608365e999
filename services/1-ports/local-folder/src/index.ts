/**
 * local-folder (layer 1, fileStorage): a folder on the server as a source of files, the embedded
 * default's source. Each user has a folder of their own under the root, `<tenant>/<user>`, and
 * nothing outside it can be reached.
 */
import { mkdir, realpath } from 'node:fs/promises';
import type { SettingsSchema } from '@rds/kit';
import { fileStoragePort, type Registration } from '@rds/ports';
import { FolderFiles } from './folder-files.ts';
import { callersJail } from './user-folders.ts';
import packageJson from '../package.json' with { type: 'json' };

const SETTINGS = {
  type: 'object',
  properties: {
    RDS_LOCAL_FOLDER_ROOT: { type: 'string', minLength: 1 },
  },
  required: ['RDS_LOCAL_FOLDER_ROOT'],
} as const satisfies SettingsSchema;

export const REGISTRATION: Registration = {
  servicename: 'local-folder',
  implements: ['fileStorage'],
  // Nothing to connect: the folder is on this server.
  credentials: { userId: false, password: false },
  displayName: 'Folder on this server',
  description: {
    en: 'A folder on the machine RDS runs on.',
    de: 'Ein Ordner auf dem Rechner, auf dem RDS läuft.',
  },
};

export const definition = fileStoragePort({
  name: 'local-folder',
  version: packageJson.version,
  registration: REGISTRATION,
  settings: SETTINGS,
  setup: async ({ settings }) => {
    await mkdir(settings.RDS_LOCAL_FOLDER_ROOT, { recursive: true });
    const root = await realpath(settings.RDS_LOCAL_FOLDER_ROOT);
    // Nothing to connect, so the user's session goes unused: the token names the folder.
    return { open: () => new FolderFiles(() => callersJail(root)) };
  },
});

export { folderName, userFolder } from './user-folders.ts';

export default definition;
