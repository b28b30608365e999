/**
 * What the fake repository holds: records with their versions, drafts and files. A record id
 * names one version; the versions of a record share a parent (Zenodo's concept record). File
 * content lives in a temporary folder, shared between versions that link it (files-import).
 */
import { rmSync } from 'node:fs';
import type { FieldError, Metadata } from './metadata.ts';

export interface Blob {
  path: string;
  size: number;
  md5: string;
  /** Versions whose files point at this content; the file goes when the last one lets go. */
  links: number;
}

export interface FileEntry {
  key: string;
  status: 'pending' | 'completed';
  created: string;
  updated: string;
  /** Uploaded content; for a pending entry, not yet committed. */
  content?: Blob;
}

export interface Draft {
  metadata: Metadata;
  access: { record: string; files: string };
  /** Always true on Zenodo, which has no metadata-only records. */
  filesEnabled: boolean;
  errors: FieldError[];
  files: Map<string, FileEntry>;
}

export interface Published {
  metadata: Metadata;
  access: { record: string; files: string };
  files: Map<string, FileEntry>;
  doi: string;
}

export interface Parent {
  id: string;
  owner: string;
  versions: Version[];
  /** The draft of the next version, while there is one: at most one at a time. */
  nextDraftId?: string;
  doi?: string;
}

export interface Version {
  id: string;
  parent: Parent;
  index: number;
  created: string;
  updated: string;
  revision: number;
  draft?: Draft;
  published?: Published;
}

/** Invenio writes timestamps in UTC with an explicit offset. */
export const now = () => new Date().toISOString().replace('Z', '+00:00');

export class Repository {
  private readonly versions = new Map<string, Version>();
  private nextId: number;

  constructor(firstId = 1000) {
    this.nextId = firstId;
  }

  find(id: string): Version | undefined {
    return this.versions.get(id);
  }

  /** Every version `owner` has, newest first. */
  versionsOf(owner: string): Version[] {
    return [...this.versions.values()].filter((v) => v.parent.owner === owner).reverse();
  }

  newId(): string {
    return String(this.nextId++);
  }

  createRecord(owner: string, draft: Draft): Version {
    const parent: Parent = { id: this.newId(), owner, versions: [] };
    return this.addVersion(parent, 1, draft);
  }

  /**
   * The draft of the next version (invenio-drafts-resources `services/records/service.py`
   * new_version): the latest published version's metadata without `version` and with today's
   * publication date (invenio-rdm-records `services/components/metadata.py` new_version), its
   * access (`services/components/access.py`), files enabled as they were and none in it
   * (invenio-drafts-resources `services/records/components/base.py` new_version: files come
   * only with files-import).
   */
  newVersion(parent: Parent): Version {
    const latest = latestPublished(parent);
    if (!latest?.published) throw new Error('a new version needs a published one');
    const { version: _version, ...metadata } = latest.published.metadata;
    metadata.publication_date = new Date().toISOString().slice(0, 10);
    const version = this.addVersion(parent, latest.index + 1, {
      metadata,
      access: { ...latest.published.access },
      filesEnabled: true,
      errors: [],
      files: new Map(),
    });
    parent.nextDraftId = version.id;
    return version;
  }

  publish(version: Version, doiPrefix: string): void {
    const draft = version.draft;
    if (!draft) throw new Error('nothing to publish');
    version.published = {
      metadata: draft.metadata,
      access: draft.access,
      files: draft.files,
      doi: `${doiPrefix}${version.id}`,
    };
    version.parent.doi ??= `${doiPrefix}${version.parent.id}`;
    delete version.draft;
    if (version.parent.nextDraftId === version.id) delete version.parent.nextDraftId;
    touch(version);
  }

  /** Discards a draft; a version that was never published goes with it. */
  discard(version: Version): void {
    const draft = version.draft;
    if (!draft) return;
    for (const entry of draft.files.values()) release(entry);
    delete version.draft;
    if (version.parent.nextDraftId === version.id) delete version.parent.nextDraftId;
    if (!version.published) {
      this.versions.delete(version.id);
      version.parent.versions = version.parent.versions.filter((v) => v !== version);
    }
  }

  private addVersion(parent: Parent, index: number, draft: Draft): Version {
    const created = now();
    const version: Version = {
      id: this.newId(),
      parent,
      index,
      created,
      updated: created,
      revision: 1,
      draft,
    };
    parent.versions.push(version);
    this.versions.set(version.id, version);
    return version;
  }
}

export function latestPublished(parent: Parent): Version | undefined {
  return parent.versions.filter((v) => v.published).at(-1);
}

export function touch(version: Version): void {
  version.updated = now();
  version.revision += 1;
}

/** Lets go of an entry's content; the file on disk goes once nothing links it. */
export function release(entry: FileEntry): void {
  const blob = entry.content;
  if (!blob) return;
  delete entry.content;
  blob.links -= 1;
  if (blob.links === 0) rmSync(blob.path, { force: true });
}
