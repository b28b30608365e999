/**
 * The archive's records: drafts filled file by file, each published as a BagIt bag holding an
 * RO-Crate, new versions seeded with the files of the latest and published beside it.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, rm } from 'node:fs/promises';
import { join, relative } from 'node:path';
import type { Readable } from 'node:stream';
import { bagFiles, madeFile, writeBag, zippedPayload, type BagFile } from './bag.ts';
import { findings } from './check.ts';
import { describe, readCrate } from './crate.ts';
import { receive } from './digests.ts';
import { linkOrCopy } from './files.ts';
import { ownerPath, type Layout, type Owner } from './layout.ts';
import { KeyedLock } from './locks.ts';
import { CRATE_KEY } from './names.ts';
import { problems } from './problems.ts';
import {
  RecordStore,
  type DraftFiles,
  type ResearchMetadata,
  type StoredFile,
  type StoredRecord,
} from './records.ts';

/** The archive's own identifier of a record: local, so no DOI is pretended. */
const identifierOf = (id: string) => `urn:rds:local-archive:${id}`;

const byKey = (a: StoredFile, b: StoredFile) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
const day = (time: Date) => time.toISOString().slice(0, 10);

/** Errors of a request body that broke off: the client went away, nothing is wrong here. */
const INTERRUPTED = new Set(['ECONNRESET', 'ERR_STREAM_PREMATURE_CLOSE']);

function mustBeDraft(record: StoredRecord, action: string): void {
  if (record.state !== 'draft') throw problems.notADraft(record.id, action);
}

function bagInfo(record: StoredRecord, time: Date): [string, string][] {
  return [
    ['Bagging-Date', day(time)],
    ['External-Identifier', identifierOf(record.id)],
    ['External-Description', record.metadata.title ?? ''],
    ['Bag-Group-Identifier', identifierOf(record.parentId)],
    ['Bag-Software-Agent', 'RDS local-archive'],
  ];
}

export class Archive {
  readonly layout: Layout;
  private readonly store: RecordStore;
  private readonly zipped: boolean;
  /** The publisher a record's RO-Crate names where its metadata names none. */
  private readonly publisher: string;
  private readonly locks = new KeyedLock();

  constructor(layout: Layout, { zipped, publisher }: { zipped: boolean; publisher: string }) {
    this.layout = layout;
    this.store = new RecordStore(layout);
    this.zipped = zipped;
    this.publisher = publisher;
  }

  record(owner: Owner, id: string): Promise<StoredRecord> {
    return this.store.get(owner, id);
  }

  async createDraft(owner: Owner, metadata: ResearchMetadata): Promise<StoredRecord> {
    const now = new Date().toISOString();
    const draft: StoredRecord = {
      id: randomUUID(),
      parentId: randomUUID(),
      version: 1,
      state: 'draft',
      metadata,
      files: [],
      createdAt: now,
      updatedAt: now,
    };
    await this.openWorkingArea(owner, draft.id);
    await this.store.save(owner, draft);
    return draft;
  }

  updateMetadata(owner: Owner, id: string, metadata: ResearchMetadata): Promise<StoredRecord> {
    return this.changeDraft(owner, id, async (draft) => ({ ...draft, metadata }));
  }

  async discard(owner: Owner, id: string): Promise<void> {
    await this.locked(owner, id, async (record) => {
      mustBeDraft(record, 'discarded');
      await this.store.remove(owner, id);
      await rm(this.layout.draft(owner, id), { recursive: true, force: true });
    });
  }

  /** The file arrives beside the draft's files and joins them whole, or not at all. */
  async upload(
    owner: Owner,
    id: string,
    key: string,
    content: Readable,
    expectedSize: number,
  ): Promise<StoredFile> {
    // Checked before the body is read, so that a refused upload does not cost a whole transfer.
    mustBeDraft(await this.store.get(owner, id), 'changed');
    const received = await receive(content, this.layout.incoming(owner, id)).catch(
      (error: NodeJS.ErrnoException) => {
        if (INTERRUPTED.has(error.code ?? '')) throw problems.uploadInterrupted(key);
        // The draft was discarded while its file came in.
        if (error.code === 'ENOENT') throw problems.recordNotFound(id);
        throw error;
      },
    );
    try {
      if (received.size !== expectedSize)
        throw problems.incompleteUpload(key, expectedSize, received.size);
      if (key === CRATE_KEY) readCrate(await readFile(received.path, 'utf8'));
      const { path: _path, ...digests } = received;
      const file: StoredFile = { key, ...digests };
      await this.changeFiles(owner, id, async (files) => {
        const clash = files.clash(key);
        if (clash !== undefined) throw problems.keyConflict(key, clash);
        await rename(received.path, join(this.layout.blobs(owner, id), file.sha256));
        return { put: file };
      });
      return file;
    } finally {
      await rm(received.path, { force: true });
    }
  }

  async deleteFile(owner: Owner, id: string, key: string): Promise<void> {
    await this.changeFiles(owner, id, async (files) => {
      if (!files.has(key)) throw problems.fileNotFound(id, key);
      return { delete: key };
    });
  }

  /**
   * Writes the draft's bag and then marks the record published: a publish cut off half-way
   * leaves a draft to publish again. A published record is answered as it is.
   */
  publish(owner: Owner, id: string): Promise<StoredRecord> {
    return this.locked(owner, id, async (record) => {
      if (record.state === 'published') return record;
      const refused = findings(record.metadata);
      if (refused.length > 0)
        throw problems.metadataRefused('local-archive', refused, 'The archive');
      if (record.files.length === 0) throw problems.filesIncomplete(id);
      const now = new Date();
      const blobs = this.layout.blobs(owner, id);
      const payload = record.files.filter((f) => f.key !== CRATE_KEY);
      const uploadedCrate = record.files.find((f) => f.key === CRATE_KEY);
      const base =
        uploadedCrate && readCrate(await readFile(join(blobs, uploadedCrate.sha256), 'utf8'));
      const crate = describe(
        {
          metadata: record.metadata,
          files: payload,
          identifier: identifierOf(id),
          version: record.version,
          published: day(now),
          publisher: this.publisher,
        },
        base,
      );
      const crateFile = madeFile(CRATE_KEY, Buffer.from(`${JSON.stringify(crate, null, 2)}\n`));
      const stored = (f: StoredFile): BagFile => ({
        ...f,
        path: f.key,
        content: { file: join(blobs, f.sha256) },
      });
      const target = this.layout.bag(owner, record.parentId, record.version, this.zipped);
      await writeBag(
        bagFiles([...payload.map(stored), crateFile], bagInfo(record, now)),
        target,
        this.layout.staging,
      );
      const { path: _path, content: _content, ...crateDigests } = crateFile;
      const published: StoredRecord = {
        ...record,
        state: 'published',
        updatedAt: now.toISOString(),
        publishedAt: now.toISOString(),
        bag: relative(this.layout.root, target),
        // An uploaded crate is in the bag completed, and listed as it is there.
        files: uploadedCrate
          ? [...payload, { key: CRATE_KEY, ...crateDigests }].sort(byKey)
          : record.files,
      };
      await this.store.save(owner, published);
      await rm(this.layout.draft(owner, id), { recursive: true, force: true });
      return published;
    });
  }

  /**
   * The draft of the next version, with the latest version's metadata and files; the draft
   * there is already, if there is one. An uploaded crate is not carried over: the crate in the
   * bag describes that version's files, and the next one gets its own.
   */
  newVersion(owner: Owner, id: string): Promise<StoredRecord> {
    return this.locked(owner, id, async (record) => {
      if (record.state === 'draft') throw problems.notPublished(id);
      const versions = await this.store.versions(owner, record.parentId);
      const open = versions.find((v) => v.state === 'draft');
      if (open) return open;
      const latest = versions.reduce((a, b) => (b.version > a.version ? b : a));
      // The publication date and version name of the latest describe that one, not the next.
      const { publicationDate: _date, version: _version, ...metadata } = latest.metadata;
      const now = new Date().toISOString();
      const draft: StoredRecord = {
        id: randomUUID(),
        parentId: latest.parentId,
        version: latest.version + 1,
        state: 'draft',
        metadata,
        files: latest.files.filter((f) => f.key !== CRATE_KEY),
        createdAt: now,
        updatedAt: now,
      };
      await this.openWorkingArea(owner, draft.id);
      try {
        await this.seed(owner, latest, draft);
        await this.store.save(owner, draft);
      } catch (error) {
        await rm(this.layout.draft(owner, draft.id), { recursive: true, force: true });
        throw error;
      }
      return draft;
    });
  }

  /** A new version's files from the bag before: linked from a folder, unpacked and checked from a zip. */
  private async seed(owner: Owner, from: StoredRecord, to: StoredRecord): Promise<void> {
    const bag = join(this.layout.root, from.bag!);
    const blobs = this.layout.blobs(owner, to.id);
    if (!bag.endsWith('.zip')) {
      for (const file of to.files)
        await linkOrCopy(join(bag, 'data', ...file.key.split('/')), join(blobs, file.sha256));
      return;
    }
    const wanted = new Map(to.files.map((f) => [f.key, f]));
    for await (const zipped of zippedPayload(bag)) {
      const file = wanted.get(zipped.key);
      if (!file) continue;
      const received = await receive(await zipped.open(), this.layout.incoming(owner, to.id));
      if (received.sha256 !== file.sha256) {
        await rm(received.path);
        throw problems.archiveDamaged(from.id, file.key);
      }
      await rename(received.path, join(blobs, file.sha256));
      wanted.delete(file.key);
    }
    const [missing] = wanted.keys();
    if (missing !== undefined) throw problems.archiveDamaged(from.id, missing);
  }

  private async openWorkingArea(owner: Owner, id: string): Promise<void> {
    await mkdir(this.layout.blobs(owner, id), { recursive: true });
    await mkdir(this.layout.incoming(owner, id), { recursive: true });
  }

  /** Changes a draft other than in its files. */
  private changeDraft(
    owner: Owner,
    id: string,
    change: (draft: StoredRecord) => Promise<StoredRecord>,
  ): Promise<StoredRecord> {
    return this.locked(owner, id, async (record) => {
      mustBeDraft(record, 'changed');
      const changed = { ...(await change(record)), updatedAt: new Date().toISOString() };
      await this.store.save(owner, changed);
      return changed;
    });
  }

  /**
   * Adds, replaces or deletes one file of a draft, at a cost that does not grow with the files
   * it has, and drops a blob no file of it refers to any more.
   */
  private changeFiles(
    owner: Owner,
    id: string,
    change: (files: DraftFiles) => Promise<{ put: StoredFile } | { delete: string }>,
  ): Promise<void> {
    return this.locked(owner, id, async (record) => {
      mustBeDraft(record, 'changed');
      const files = await this.store.draftFiles(owner, id);
      const changing = await change(files);
      const before = files.get('put' in changing ? changing.put.key : changing.delete);
      await this.store.changeFile(owner, id, { ...changing, at: new Date().toISOString() });
      if (before && !files.blobUsed(before.sha256))
        await rm(join(this.layout.blobs(owner, id), before.sha256), { force: true });
    });
  }

  /** Work on a record, one change at a time for all versions of it, on the record as it is then. */
  private async locked<T>(
    owner: Owner,
    id: string,
    work: (record: StoredRecord) => Promise<T>,
  ): Promise<T> {
    const { parentId } = await this.store.get(owner, id);
    return this.locks.run(`${ownerPath(owner)}/${parentId}`, async () =>
      work(await this.store.get(owner, id)),
    );
  }
}
