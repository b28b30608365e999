import type { Readable } from 'node:stream';
import type { components } from '@rds/contracts/generated/repository';

export type Capabilities = components['schemas']['Capabilities'];
export type RepositoryRecord = components['schemas']['Record'];
export type RecordFile = components['schemas']['RecordFile'];
export type ResearchMetadata = components['schemas']['ResearchMetadata'];

/** A field of the metadata the repository would refuse, and why. */
export interface Finding {
  /** JSON Pointer into the metadata, e.g. `/creators/0/name`. */
  field: string;
  detail: string;
}

/**
 * What a repository port writes: one user's records at the repository. Failures are thrown as
 * the problems they mean. `@rds/ports` serves the `repository` contract for it
 * (contracts/interfaces/repository.yaml): parameters, bodies, streaming, status codes.
 */
export interface Repository {
  /** What the target can take and needs. */
  capabilities(): Promise<Capabilities>;
  /** Every field the target would refuse, before anything is created; empty when all is fine. */
  checkMetadata(metadata: ResearchMetadata): Promise<Finding[]>;
  createDraft(metadata: ResearchMetadata): Promise<RepositoryRecord>;
  /** The record, published or not. */
  readRecord(id: string): Promise<RepositoryRecord>;
  /** Replaces a draft's metadata. */
  updateMetadata(id: string, metadata: ResearchMetadata): Promise<RepositoryRecord>;
  discardDraft(id: string): Promise<void>;
  listFiles(id: string): Promise<RecordFile[]>;
  /** Streams a file of `size` bytes into the draft, replacing one of the same key. */
  putFile(id: string, key: string, body: Readable, size: number): Promise<RecordFile>;
  deleteFile(id: string, key: string): Promise<void>;
  /** Safe to repeat: a published record is answered as it is. */
  publish(id: string): Promise<RepositoryRecord>;
  /** A draft of the next version with the earlier version's files; an existing one is reused. */
  newVersion(id: string): Promise<RepositoryRecord>;
}
