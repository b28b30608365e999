import { appendFile, mkdir, readdir, readFile, rm } from 'node:fs/promises';
import type { components } from '@rds/contracts/generated/repository';
import type { Digests } from './digests.ts';
import { writeFileAtomically } from './files.ts';
import type { Layout, Owner } from './layout.ts';
import { problems } from './problems.ts';

export type ResearchMetadata = components['schemas']['ResearchMetadata'];

export interface StoredFile extends Digests {
  key: string;
}

/** One version of a record, as the archive keeps it. */
export interface StoredRecord {
  id: string;
  /** Shared by every version of the record; names the folder their bags are in. */
  parentId: string;
  /** 1, 2, …: the bag of version n is `v<n>`. */
  version: number;
  state: 'draft' | 'published';
  metadata: ResearchMetadata;
  /** Sorted by key. A draft keeps each file's content as the blob named by its sha256. */
  files: StoredFile[];
  createdAt: string;
  updatedAt: string;
  publishedAt?: string;
  /** The bag, a folder or a `.zip`, relative to the archive's root. */
  bag?: string;
}

/** Ids are UUIDs the archive made; anything else names no record (and no path). */
const RECORD_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Records kept parsed in memory: a draft filled with thousands of files is read on every upload. */
const CACHED_RECORDS = 64;

const byKey = (a: StoredFile, b: StoredFile) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

/** A change to a draft's files, one line of its journal. */
type FileChange = { put: StoredFile; at: string } | { delete: string; at: string };

/**
 * A draft's files by key, changed one at a time without a pass over the others: what a file
 * upload costs does not grow with the files already there.
 */
export class DraftFiles {
  private readonly byKey = new Map<string, StoredFile>();
  /** How many files have each sha256: a blob is removed when none has it any more. */
  private readonly blobUses = new Map<string, number>();
  /** How many files are below each folder (`a`, `a/b` for `a/b/c.csv`). */
  private readonly folderUses = new Map<string, number>();
  private sorted: StoredFile[] | undefined;

  constructor(files: StoredFile[]) {
    for (const file of files) this.put(file);
  }

  /** Sorted by key; made again only after a change. */
  list(): StoredFile[] {
    this.sorted ??= [...this.byKey.values()].sort(byKey);
    return this.sorted;
  }

  has(key: string): boolean {
    return this.byKey.has(key);
  }

  get(key: string): StoredFile | undefined {
    return this.byKey.get(key);
  }

  blobUsed(sha256: string): boolean {
    return this.blobUses.has(sha256);
  }

  /** A file whose key is a folder of `key`, or lies below `key`: names cannot be both. */
  clash(key: string): string | undefined {
    for (const folder of foldersOf(key)) if (this.byKey.has(folder)) return folder;
    if (!this.folderUses.has(key)) return undefined;
    return this.list().find((f) => f.key.startsWith(`${key}/`))?.key;
  }

  /** Adds or replaces the file of its key; answers the one replaced. */
  put(file: StoredFile): StoredFile | undefined {
    const replaced = this.delete(file.key);
    this.byKey.set(file.key, file);
    this.sorted = undefined;
    count(this.blobUses, file.sha256, 1);
    for (const folder of foldersOf(file.key)) count(this.folderUses, folder, 1);
    return replaced;
  }

  delete(key: string): StoredFile | undefined {
    const file = this.byKey.get(key);
    if (!file) return undefined;
    this.byKey.delete(key);
    this.sorted = undefined;
    count(this.blobUses, file.sha256, -1);
    for (const folder of foldersOf(key)) count(this.folderUses, folder, -1);
    return file;
  }
}

function foldersOf(key: string): string[] {
  const folders: string[] = [];
  for (let slash = key.indexOf('/'); slash >= 0; slash = key.indexOf('/', slash + 1))
    folders.push(key.slice(0, slash));
  return folders;
}

function count(uses: Map<string, number>, name: string, by: number): void {
  const now = (uses.get(name) ?? 0) + by;
  if (now > 0) uses.set(name, now);
  else uses.delete(name);
}

/** A record as kept in memory: a draft's files apart, so that a change to them copies nothing. */
interface Kept {
  record: StoredRecord;
  files?: DraftFiles;
}

/**
 * Each record is one JSON file. A published record is written whole once; a draft's record is
 * written whole when it is made or its metadata changes, and each file added or deleted since is
 * one line appended to its journal. The archive is served by one process (see locks.ts), so the
 * records it last read or wrote are kept in memory as they are on disk; callers never change a
 * record in place, they save a new one or change a draft's files through the store.
 */
export class RecordStore {
  private readonly layout: Layout;
  private readonly cache = new Map<string, Kept>();
  /** Changes when a record is saved, removed or its files change, before and after the disk does. */
  private generation = 0;

  constructor(layout: Layout) {
    this.layout = layout;
  }

  async find(owner: Owner, id: string): Promise<StoredRecord | undefined> {
    return viewOf(await this.kept(owner, id));
  }

  private async kept(owner: Owner, id: string): Promise<Kept | undefined> {
    if (!RECORD_ID.test(id)) return undefined;
    const path = this.layout.record(owner, id);
    const cached = this.cache.get(path);
    if (cached) return this.remember(path, cached);
    const generation = this.generation;
    let kept: Kept;
    try {
      kept = await this.read(owner, JSON.parse(await readFile(path, 'utf8')) as StoredRecord);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
    // A record changed while this one was read must not be replaced by what was read.
    return generation === this.generation ? this.remember(path, kept) : kept;
  }

  /** A draft's files: those its record lists, changed as its journal says since. */
  private async read(owner: Owner, record: StoredRecord): Promise<Kept> {
    if (record.state !== 'draft') return { record };
    const files = new DraftFiles(record.files);
    let journal = '';
    try {
      journal = await readFile(this.layout.journal(owner, record.id), 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    let updatedAt = record.updatedAt;
    for (const line of journal.split('\n')) {
      const change = parseChange(line);
      if (!change) continue;
      if ('put' in change) files.put(change.put);
      else files.delete(change.delete);
      if (change.at > updatedAt) updatedAt = change.at;
    }
    return { record: { ...record, updatedAt }, files };
  }

  /** Most recently used last; the least recently used goes once there are too many. */
  private remember(path: string, kept: Kept): Kept {
    this.cache.delete(path);
    this.cache.set(path, kept);
    if (this.cache.size > CACHED_RECORDS) this.cache.delete(this.cache.keys().next().value!);
    return kept;
  }

  /** Another user's record is not found either: whether it exists is theirs to know. */
  async get(owner: Owner, id: string): Promise<StoredRecord> {
    const record = await this.find(owner, id);
    if (!record) throw problems.recordNotFound(id);
    return record;
  }

  /** A draft's files as they are now, to change with {@link changeFile}. */
  async draftFiles(owner: Owner, id: string): Promise<DraftFiles> {
    const kept = await this.kept(owner, id);
    if (!kept?.files) throw problems.recordNotFound(id);
    return kept.files;
  }

  /**
   * Adds, replaces (`put`) or deletes one file of a draft: one line appended to its journal.
   * Each line starts on a line of its own, so that one cut off by a crash spoils no other.
   */
  async changeFile(owner: Owner, id: string, change: FileChange): Promise<void> {
    const path = this.layout.record(owner, id);
    const kept = await this.kept(owner, id);
    if (!kept?.files) throw problems.recordNotFound(id);
    this.generation++;
    try {
      await appendFile(this.layout.journal(owner, id), `\n${JSON.stringify(change)}\n`);
      if ('put' in change) kept.files.put(change.put);
      else kept.files.delete(change.delete);
      this.remember(path, { ...kept, record: { ...kept.record, updatedAt: change.at } });
    } catch (error) {
      this.cache.delete(path);
      throw error;
    } finally {
      this.generation++;
    }
  }

  /** Writes the record whole; a draft's journal is then empty, its files all in the record. */
  async save(owner: Owner, record: StoredRecord): Promise<void> {
    await mkdir(this.layout.records(owner), { recursive: true });
    const path = this.layout.record(owner, record.id);
    this.generation++;
    this.cache.delete(path);
    try {
      await writeFileAtomically(path, JSON.stringify(record));
      // Cut off before this, the journal is read again over the record: the same files.
      if (record.state === 'draft')
        await rm(this.layout.journal(owner, record.id), { force: true });
      this.remember(path, {
        record,
        ...(record.state === 'draft' ? { files: new DraftFiles(record.files) } : {}),
      });
    } finally {
      this.generation++;
    }
  }

  async remove(owner: Owner, id: string): Promise<void> {
    const path = this.layout.record(owner, id);
    this.generation++;
    this.cache.delete(path);
    try {
      await rm(path, { force: true });
    } finally {
      this.generation++;
    }
  }

  /** Every version of a record; read by scanning the owner's records, as it is only needed for a new version. */
  async versions(owner: Owner, parentId: string): Promise<StoredRecord[]> {
    const names = await readdir(this.layout.records(owner));
    const records = await Promise.all(
      names
        .filter((name) => name.endsWith('.json') && !name.startsWith('.'))
        .map((name) => this.find(owner, name.slice(0, -'.json'.length))),
    );
    return records.filter((r): r is StoredRecord => r?.parentId === parentId);
  }
}

/** A line of a journal; none for an empty one or one a crash cut off. */
function parseChange(line: string): FileChange | undefined {
  if (line === '') return undefined;
  try {
    return JSON.parse(line) as FileChange;
  } catch {
    return undefined;
  }
}

/** The record with a draft's files as they are now, sorted only when someone reads them. */
function viewOf(kept: Kept | undefined): StoredRecord | undefined {
  if (!kept?.files) return kept?.record;
  const files = kept.files;
  const view = { ...kept.record };
  Object.defineProperty(view, 'files', { enumerable: true, get: () => files.list() });
  return view;
}
