import type { HttpClient } from '@rds/kit';
import type { components as fileStorage } from '@rds/contracts/generated/file-storage';
import type { components as repository } from '@rds/contracts/generated/repository';
import { portJson } from './port-calls.ts';
import type { RunTarget, Source } from './research-manager.ts';
import { zipSize, type ZipMember } from './zip.ts';

type Entry = fileStorage['schemas']['Entry'];
export type Capabilities = repository['schemas']['Capabilities'];

/** A file of a source, and where it goes in a record: `key`, relative to what was chosen. */
export interface SourceFile {
  sourceId: string;
  /** For a zipped folder, the folder's path. */
  path: string;
  size: number;
  key: string;
  /** Set for a folder sent as one zip file: the files in it. */
  members?: ZipMember[];
}

const PAGE = 1000;

async function* entriesOf(port: string, client: HttpClient, folder: string) {
  let cursor: string | undefined;
  do {
    const page = await portJson<{ entries: Entry[]; nextCursor?: string }>(port, client, {
      path: '/folder',
      query: { path: folder, limit: PAGE, cursor },
    });
    yield* page.entries;
    cursor = page.nextCursor;
  } while (cursor);
}

async function filesUnder(
  port: string,
  client: HttpClient,
  sourceId: string,
  folder: string,
  prefix: string,
): Promise<SourceFile[]> {
  const files: SourceFile[] = [];
  for await (const entry of entriesOf(port, client, folder)) {
    const key = `${prefix}${entry.name}`;
    if (entry.type === 'folder') {
      files.push(...(await filesUnder(port, client, sourceId, entry.path, `${key}/`)));
    } else {
      files.push({ sourceId, path: entry.path, size: entry.size ?? 0, key });
    }
  }
  return files;
}

/**
 * Every file a source names, with its size. A chosen folder's files keep their paths below it;
 * chosen paths keep their last segment (and a chosen folder its name).
 */
export async function listSource(source: Source, client: HttpClient): Promise<SourceFile[]> {
  const { settings } = source;
  if ('folder' in settings) return filesUnder(source.port, client, source.id, settings.folder, '');
  const files: SourceFile[] = [];
  for (const path of settings.paths) {
    const entry = await portJson<Entry>(source.port, client, { path: '/entry', query: { path } });
    if (entry.type === 'folder') {
      files.push(...(await filesUnder(source.port, client, source.id, path, `${entry.name}/`)));
    } else {
      files.push({ sourceId: source.id, path, size: entry.size ?? 0, key: entry.name });
    }
  }
  return files;
}

export type Plan = { files: SourceFile[] } | { refused: string };

const ENCODED_SEPARATOR = '__';

/** `a/b.csv` → `a__b.csv`: the whole path in a name, for targets without folders. */
export const encodePath = (key: string) => key.split('/').join(ENCODED_SEPARATOR);

function describeSize(bytes: number): string {
  const units = ['bytes', 'kB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${units[unit]}`;
}

const some = (items: string[]) =>
  items.length > 3
    ? `${items.slice(0, 3).join(', ')} and ${items.length - 3} more`
    : items.join(', ');

/**
 * Each top-level folder as one zip named after it (`raw/a/b.csv` goes into `raw.zip` as
 * `raw/a/b.csv`); files outside folders stay as they are.
 */
async function zipFolders(files: SourceFile[]): Promise<SourceFile[]> {
  const loose: SourceFile[] = [];
  const folders = new Map<string, SourceFile[]>();
  for (const file of files) {
    const slash = file.key.indexOf('/');
    if (slash < 0) loose.push(file);
    else {
      const group = `${file.sourceId}\n${file.key.slice(0, slash)}`;
      folders.set(group, [...(folders.get(group) ?? []), file]);
    }
  }
  const zips = await Promise.all(
    [...folders.values()].map(async (inFolder) => {
      const first = inFolder[0]!;
      const top = first.key.slice(0, first.key.indexOf('/'));
      const members = inFolder.map((f) => ({ path: f.path, size: f.size, name: f.key }));
      return {
        sourceId: first.sourceId,
        // The folder: what the member's path holds before its key's part below the folder.
        path: first.path.slice(0, first.path.length - (first.key.length - top.length)),
        size: await zipSize(members),
        key: `${top}.zip`,
        members,
      };
    }),
  );
  return [...loose, ...zips];
}

/** Where the target has no folders, files in folders are renamed or zipped, as the target says. */
async function fitFolders(
  files: SourceFile[],
  capabilities: Capabilities,
  target: Pick<RunTarget, 'port' | 'settings'>,
): Promise<Plan> {
  const inFolders = files.filter((f) => f.key.includes('/'));
  if (capabilities.folders || inFolders.length === 0) return { files };
  switch (target.settings.folders) {
    case 'zip-folders':
      return { files: await zipFolders(files) };
    case 'encode-paths':
      return { files: files.map((f) => ({ ...f, key: encodePath(f.key) })) };
    default:
      return {
        refused: `${target.port} has no folders, and ${inFolders.length} files are in folders (${some(inFolders.map((f) => f.key))}). Set the target's folder handling to encode-paths (a/b.csv becomes a__b.csv) or zip-folders.`,
      };
  }
}

/**
 * What goes to a target and under which keys, or why it cannot: decided before anything is
 * created there, so that an export is refused with a reason instead of failing half-way.
 */
export async function planTarget(
  files: SourceFile[],
  capabilities: Capabilities,
  target: Pick<RunTarget, 'port' | 'settings'>,
): Promise<Plan> {
  const { port, settings } = target;
  if (files.length === 0) return { refused: 'The sources hold no files to export.' };
  if (!capabilities.publicationModes.includes(settings.mode)) {
    return {
      refused: `${port} cannot ${settings.mode === 'draft' ? 'keep drafts' : settings.mode === 'publish' ? 'publish' : 'publish new versions'}; choose ${capabilities.publicationModes.join(' or ')}.`,
    };
  }
  const fitted = await fitFolders(files, capabilities, target);
  if ('refused' in fitted) return fitted;
  const planned = fitted.files;
  const byKey = new Map<string, SourceFile[]>();
  for (const file of planned) byKey.set(file.key, [...(byKey.get(file.key) ?? []), file]);
  const clashes = [...byKey.entries()].filter(([, same]) => same.length > 1);
  if (clashes.length > 0) {
    return {
      refused: `Several files would get one name at ${port}: ${some(clashes.map(([key, same]) => `${key} (${same.map((f) => f.path).join(', ')})`))}. Rename them, or choose fewer.`,
    };
  }
  if (capabilities.maxFiles !== undefined && planned.length > capabilities.maxFiles) {
    return {
      refused: `${planned.length} files are too many for ${port}, which takes at most ${capabilities.maxFiles} per record. Choose fewer files${capabilities.folders || settings.folders === 'zip-folders' ? '' : ', or set the folder handling to zip-folders'}.`,
    };
  }
  const max = capabilities.maxFileSize;
  const tooLarge = max === undefined ? [] : planned.filter((f) => f.size > max);
  if (tooLarge.length > 0) {
    return {
      refused: `${some(tooLarge.map((f) => f.path))} ${tooLarge.length === 1 ? 'is' : 'are'} larger than the ${describeSize(max!)} ${port} takes per file.`,
    };
  }
  const total = planned.reduce((sum, f) => sum + f.size, 0);
  if (capabilities.maxRecordSize !== undefined && total > capabilities.maxRecordSize) {
    return {
      refused: `The files hold ${describeSize(total)}, more than the ${describeSize(capabilities.maxRecordSize)} ${port} takes per record. Choose fewer files.`,
    };
  }
  return { files: planned };
}
