import { actingUser, currentContext } from '@rds/kit';
import type { Capabilities, RecordFile, Repository, RepositoryRecord } from '@rds/ports';
import type { Archive } from './archive.ts';
import { findings, REQUIRED_METADATA } from './check.ts';
import type { Owner } from './layout.ts';
import { fileKey } from './names.ts';
import type { StoredFile, StoredRecord } from './records.ts';

const CAPABILITIES: Capabilities = {
  folders: true,
  requiredMetadata: REQUIRED_METADATA,
  publicationModes: ['draft', 'publish', 'new-version'],
  checksum: 'sha256',
};

/**
 * A record as the repository interface says it. It has no `links`: the bag is a folder on the
 * server, and its path (a `file://` URL) would mean nothing in the user's browser and tell them
 * how the server is laid out.
 */
function recordOf(record: StoredRecord): RepositoryRecord {
  return {
    id: record.id,
    state: record.state,
    ...(record.metadata.title ? { title: record.metadata.title } : {}),
    version: String(record.version),
    parentId: record.parentId,
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
    ...(record.publishedAt ? { publishedAt: record.publishedAt } : {}),
  };
}

// Uploads are atomic: a file the archive lists is always complete.
const fileOf = ({ key, size, sha256 }: StoredFile): RecordFile => ({
  key,
  size,
  checksum: `sha256:${sha256}`,
  status: 'completed',
});

/**
 * Whose records a call reaches: the tenant and user its service token names (a token naming no
 * user is refused, 403 auth.noUser). The archive needs no connection, so no token from
 * token-storage says who acts.
 */
function owner(): Owner {
  const call = currentContext();
  if (!call) throw new Error('local-archive was called outside a request: no user to act for');
  return actingUser({ rds: call });
}

/** The archive as the repository interface: each user's records, kept apart by owner. */
export function archiveRepository(archive: Archive): Repository {
  return {
    capabilities: async () => CAPABILITIES,
    checkMetadata: async (metadata) => findings(metadata),
    createDraft: async (metadata) => recordOf(await archive.createDraft(owner(), metadata)),
    readRecord: async (id) => recordOf(await archive.record(owner(), id)),
    updateMetadata: async (id, metadata) =>
      recordOf(await archive.updateMetadata(owner(), id, metadata)),
    discardDraft: async (id) => archive.discard(owner(), id),
    listFiles: async (id) => (await archive.record(owner(), id)).files.map(fileOf),
    putFile: async (id, key, body, size) =>
      fileOf(await archive.upload(owner(), id, fileKey(key), body, size)),
    deleteFile: async (id, key) => archive.deleteFile(owner(), id, fileKey(key)),
    publish: async (id) => recordOf(await archive.publish(owner(), id)),
    newVersion: async (id) => recordOf(await archive.newVersion(owner(), id)),
  };
}
