/**
 * The files of a record as the crate's Data Entities: each once, under the `@id` of ids.ts,
 * listed once in `hasPart`, with its size and sha256, whatever the crate said of it before.
 */
import { fileId, keyOf } from './ids.ts';
import { isReference, type CrateDocument, type Json } from './document.ts';

export interface CrateFile {
  /** The path in the crate, `/`-separated. */
  key: string;
  size: number;
  sha256: string;
  encodingFormat?: string;
}

const isData = (crate: CrateDocument, id: string) =>
  crate.types(id).some((t) => t === 'File' || t === 'Dataset');

const folderOf = (key: string) => (key.endsWith('/') ? key : `${key}/`);

/**
 * Every entity naming a file or folder of the record, in whatever spelling, moves to its
 * canonical `@id` (merging with the one there); Data Entities of files and folders the record
 * does not have go, as an attached crate must not name what is not in it.
 */
function canonicalData(crate: CrateDocument, keys: Set<string>): void {
  const folders = new Set<string>();
  for (const key of keys)
    for (let slash = key.indexOf('/'); slash >= 0; slash = key.indexOf('/', slash + 1))
      folders.add(key.slice(0, slash + 1));
  const isFolder = (key: string) => folders.has(folderOf(key));
  const fixed = new Set([crate.rootId, crate.descriptorId()]);
  const renames = new Map<string, string>();
  const gone = new Set<string>();
  for (const { '@id': id } of crate.all()) {
    const key = keyOf(id);
    if (key === undefined || fixed.has(id)) continue;
    if (keys.has(key)) renames.set(id, fileId(key));
    else if (isFolder(key)) renames.set(id, fileId(folderOf(key)));
    else if (isData(crate, id)) gone.add(id);
  }
  crate.removeAll(gone);
  crate.renameAll(renames);
}

/** Files listed by a folder the root lists (at any depth): they need no entry of their own. */
function listedByFolders(crate: CrateDocument): Set<string> {
  const listed = new Set<string>();
  const pending = crate
    .values(crate.rootId, 'hasPart')
    .flatMap((v) => (isReference(v) ? [v['@id']] : []));
  const seen = new Set<string>();
  while (pending.length > 0) {
    const id = pending.pop()!;
    if (seen.has(id) || !crate.types(id).includes('Dataset')) continue;
    seen.add(id);
    for (const part of crate.values(id, 'hasPart')) {
      if (!isReference(part)) continue;
      listed.add(part['@id']);
      pending.push(part['@id']);
    }
  }
  return listed;
}

function describeFile(crate: CrateDocument, file: CrateFile): string {
  const id = fileId(file.key);
  if (!crate.entity(id))
    crate.add({ '@id': id, '@type': 'File', name: file.key.split('/').at(-1)! });
  else if (!crate.types(id).includes('File'))
    crate.update(id, '@type', [...crate.types(id), 'File'], () => true);
  crate.update(id, 'contentSize', [String(file.size)], () => true);
  crate.update(id, 'sha256', [file.sha256], () => true);
  if (file.encodingFormat && crate.values(id, 'encodingFormat').length === 0)
    crate.setText(id, 'encodingFormat', file.encodingFormat);
  return id;
}

/** Makes the crate describe exactly these files, each once in the root's `hasPart`. */
export function describeFiles(crate: CrateDocument, files: CrateFile[]): void {
  canonicalData(crate, new Set(files.map((f) => f.key)));
  const ids = files.map((f) => describeFile(crate, f));
  const isFile = new Set(ids);
  const indirect = listedByFolders(crate);
  const seen = new Set<string>();
  const listedElsewhere = (id: string) => indirect.has(id) && isFile.has(id);
  const parts: Json[] = [];
  for (const part of crate.values(crate.rootId, 'hasPart')) {
    // A part with no entity is kept only on the web: a path in the crate must be a file of it.
    const dangling = (id: string) => !crate.entity(id) && keyOf(id) !== undefined;
    if (
      isReference(part) &&
      (seen.has(part['@id']) || dangling(part['@id']) || listedElsewhere(part['@id']))
    )
      continue;
    if (isReference(part)) seen.add(part['@id']);
    parts.push(part);
  }
  for (const id of ids) if (!seen.has(id) && !indirect.has(id)) parts.push({ '@id': id });
  crate.update(crate.rootId, 'hasPart', parts, () => true);
}
