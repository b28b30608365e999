import type { components as fileStorage } from '@rds/contracts/generated/file-storage';
import type { components as repository } from '@rds/contracts/generated/repository';
import { portJson, type StoragePort } from './port-calls.ts';
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
  /** What the source says of the content, as `algorithm:hex`, when it keeps one. */
  checksum?: string;
  /** Set for a folder sent as one zip file: the files in it. */
  members?: ZipMember[];
}

const fileOf = (sourceId: string, entry: Entry, key: string): SourceFile => ({
  sourceId,
  path: entry.path,
  size: entry.size ?? 0,
  key,
  ...(entry.checksum ? { checksum: entry.checksum } : {}),
});

const PAGE = 1000;

async function* entriesOf(port: string, client: StoragePort, folder: string) {
  let cursor: string | undefined;
  do {
    const page = await portJson(port, client, 'listFolder', {
      query: { path: folder, limit: PAGE, cursor },
    });
    yield* page.entries;
    cursor = page.nextCursor;
  } while (cursor);
}

async function filesUnder(
  port: string,
  client: StoragePort,
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
      files.push(fileOf(sourceId, entry, key));
    }
  }
  return files;
}

/**
 * Every file a source names, with its size. A chosen folder's files keep their paths below it;
 * chosen paths keep their last segment (and a chosen folder its name).
 */
export async function listSource(source: Source, client: StoragePort): Promise<SourceFile[]> {
  const { settings } = source;
  if ('folder' in settings) return filesUnder(source.port, client, source.id, settings.folder, '');
  const files: SourceFile[] = [];
  for (const path of settings.paths) {
    const entry = await portJson(source.port, client, 'statEntry', { query: { path } });
    if (entry.type === 'folder') {
      files.push(...(await filesUnder(source.port, client, source.id, path, `${entry.name}/`)));
    } else {
      files.push(fileOf(source.id, { ...entry, path }, entry.name));
    }
  }
  return files;
}

/** A file the target would refuse, and why. */
export interface Unfit {
  file: SourceFile;
  kind: 'empty' | 'long-name' | 'too-large' | 'too-many';
}

/** What goes to a target, and what is left out (as the target's settings allow). */
export type Plan = { files: SourceFile[]; skipped: Unfit[] } | { refused: string };

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
): Promise<{ files: SourceFile[] } | { refused: string }> {
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
  const { fit, unfit } = sortOut(planned, capabilities);
  // Skipping is the user's choice, but not of everything: then there is nothing to export.
  if (unfit.length > 0 && (settings.unfitFiles !== 'skip' || fit.length === 0)) {
    return { refused: refusalOf(unfit, planned.length, capabilities, target) };
  }
  const total = fit.reduce((sum, f) => sum + f.size, 0);
  if (capabilities.maxRecordSize !== undefined && total > capabilities.maxRecordSize) {
    return {
      refused: `The files hold ${describeSize(total)}, more than the ${describeSize(capabilities.maxRecordSize)} ${port} takes per record. Choose fewer files.`,
    };
  }
  return { files: fit, skipped: unfit };
}

/** The files the target takes, and those it would refuse: each on its own, then beyond its count. */
function sortOut(files: SourceFile[], capabilities: Capabilities) {
  const fit: SourceFile[] = [];
  const unfit: Unfit[] = [];
  for (const file of files) {
    const kind = unfitKind(file, capabilities);
    if (kind) unfit.push({ file, kind });
    else fit.push(file);
  }
  const most = capabilities.maxFiles;
  if (most !== undefined && fit.length > most) {
    for (const file of fit.splice(most)) unfit.push({ file, kind: 'too-many' });
  }
  return { fit, unfit };
}

function unfitKind(file: SourceFile, capabilities: Capabilities): Unfit['kind'] | undefined {
  if (capabilities.emptyFiles === false && file.size === 0) return 'empty';
  // In code points, as the repository interface counts them.
  if (capabilities.maxKeyLength !== undefined && [...file.key].length > capabilities.maxKeyLength)
    return 'long-name';
  if (capabilities.maxFileSize !== undefined && file.size > capabilities.maxFileSize)
    return 'too-large';
  return undefined;
}

const SKIP_HINT = 'or set the target to skip the files it would refuse';
const isAre = (items: unknown[]) => (items.length === 1 ? 'is' : 'are');

/** Why the export is refused: one sentence for each kind of file the target would refuse. */
function refusalOf(
  unfit: Unfit[],
  planned: number,
  capabilities: Capabilities,
  { port, settings }: Pick<RunTarget, 'port' | 'settings'>,
): string {
  const of = (kind: Unfit['kind']) => unfit.filter((u) => u.kind === kind).map((u) => u.file);
  const sentences: string[] = [];
  const empty = of('empty');
  if (empty.length > 0)
    sentences.push(
      `${some(empty.map((f) => f.path))} ${isAre(empty)} empty, and ${port} takes no empty files. Leave ${empty.length === 1 ? 'it' : 'them'} out, ${SKIP_HINT}.`,
    );
  const long = of('long-name');
  if (long.length > 0)
    sentences.push(
      `The names of ${some(long.map((f) => f.key))} are longer than the ${capabilities.maxKeyLength} characters ${port} allows. Rename them, ${SKIP_HINT}.`,
    );
  const large = of('too-large');
  if (large.length > 0)
    sentences.push(
      `${some(large.map((f) => f.path))} ${isAre(large)} larger than the ${describeSize(capabilities.maxFileSize!)} ${port} takes per file. Leave ${large.length === 1 ? 'it' : 'them'} out, ${SKIP_HINT}.`,
    );
  if (of('too-many').length > 0)
    sentences.push(
      `${planned - empty.length - long.length - large.length} files are too many for ${port}, which takes at most ${capabilities.maxFiles} per record. Choose fewer files${capabilities.folders || settings.folders === 'zip-folders' ? '' : ', or set the folder handling to zip-folders'}.`,
    );
  return sentences.join(' ');
}

/** What was left out of a target, and why, as the run's note for it. */
export function noteOf(skipped: Unfit[], capabilities: Capabilities, port: string): string {
  const why: Record<Unfit['kind'], string> = {
    empty: 'empty',
    'long-name': `name longer than ${capabilities.maxKeyLength} characters`,
    'too-large': `larger than ${describeSize(capabilities.maxFileSize ?? 0)}`,
    'too-many': `beyond the ${capabilities.maxFiles} files per record`,
  };
  const listed = some(skipped.map((u) => `${u.file.path} (${why[u.kind]})`));
  return `Left out ${skipped.length} ${skipped.length === 1 ? 'file' : 'files'} ${port} would refuse: ${listed}.`.slice(
    0,
    2000,
  );
}
