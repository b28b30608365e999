import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
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

/**
 * Each record is one JSON file, replaced whole on every change. The archive is served by one
 * process (see locks.ts), so the records it last read or wrote are kept in memory as they are on
 * disk; callers never change a record in place, they save a new one.
 */
export class RecordStore {
  private readonly layout: Layout;
  private readonly cache = new Map<string, StoredRecord>();
  /** Changes when a record is saved or removed, before and after the file changes. */
  private generation = 0;

  constructor(layout: Layout) {
    this.layout = layout;
  }

  async find(owner: Owner, id: string): Promise<StoredRecord | undefined> {
    if (!RECORD_ID.test(id)) return undefined;
    const path = this.layout.record(owner, id);
    const cached = this.cache.get(path);
    if (cached) return this.remember(path, cached);
    const generation = this.generation;
    try {
      const record = JSON.parse(await readFile(path, 'utf8')) as StoredRecord;
      // A record saved or removed while this one was read must not be replaced by what was read.
      return generation === this.generation ? this.remember(path, record) : record;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }

  /** Most recently used last; the least recently used goes once there are too many. */
  private remember(path: string, record: StoredRecord): StoredRecord {
    this.cache.delete(path);
    this.cache.set(path, record);
    if (this.cache.size > CACHED_RECORDS) this.cache.delete(this.cache.keys().next().value!);
    return record;
  }

  /** Another user's record is not found either: whether it exists is theirs to know. */
  async get(owner: Owner, id: string): Promise<StoredRecord> {
    const record = await this.find(owner, id);
    if (!record) throw problems.recordNotFound(id);
    return record;
  }

  async save(owner: Owner, record: StoredRecord): Promise<void> {
    await mkdir(this.layout.records(owner), { recursive: true });
    const path = this.layout.record(owner, record.id);
    this.generation++;
    this.cache.delete(path);
    try {
      await writeFileAtomically(path, JSON.stringify(record));
      this.remember(path, record);
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
