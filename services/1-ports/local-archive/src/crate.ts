/**
 * The bag's RO-Crate: an RO-Crate 1.2 made by @rds/ro-crate, the rules the metadata service
 * writes crates by. The record's metadata is on the Root Data Entity, its files are the crate's
 * File entities (each once, with size and sha256), and a crate the user uploaded among the files
 * is completed, not replaced. It lies in `data/`, the crate's root, so the manifests cover it too.
 */
import mime from 'mime-types';
import { ProblemError } from '@rds/kit';
import {
  applyMetadata,
  CrateDocument,
  describeFiles,
  DESCRIPTOR_ID,
  roCrateProblems,
  type Json,
} from '@rds/ro-crate';
import { problems } from './problems.ts';
import type { ResearchMetadata, StoredFile } from './records.ts';

export interface Publication {
  metadata: ResearchMetadata;
  /** The payload the crate describes, without the crate itself. */
  files: StoredFile[];
  identifier: string;
  /** Said where the metadata names no version of its own. */
  version: number;
  /** `YYYY-MM-DD`, said where the metadata names no publication date. */
  published: string;
  /** Said where the metadata names no publisher. */
  publisher: string;
}

/** The crate of a publication; with `base`, the crate the user uploaded, completed. */
export function describe(publication: Publication, base?: Json): Json {
  const { metadata } = publication;
  const crate = base === undefined ? CrateDocument.empty() : CrateDocument.parse(base);
  applyMetadata(crate, {
    ...metadata,
    publicationDate: metadata.publicationDate ?? publication.published,
    version: metadata.version ?? String(publication.version),
    publisher: metadata.publisher ?? publication.publisher,
  });
  crate.setText(crate.rootId, 'identifier', publication.identifier);
  describeFiles(
    crate,
    publication.files.map(({ key, size, sha256 }) => ({
      key,
      size,
      sha256,
      encodingFormat: mime.lookup(key) || undefined,
    })),
  );
  crate.conformToRoCrate12();
  crate.removeUnreachable();
  const json = crate.toJSON();
  // The checks refuse to publish what would make an invalid crate; this is the last guard.
  const invalid = roCrateProblems(json);
  if (invalid.length > 0)
    throw new Error(`The record's RO-Crate is not valid: ${invalid.join('; ')}`);
  return json;
}

/** An uploaded `ro-crate-metadata.json`, if it can be the record's crate: one about the bag's `data/`. */
export function readCrate(text: string): Json {
  let json: Json;
  try {
    json = JSON.parse(text) as Json;
  } catch {
    throw problems.badCrate('it is not JSON');
  }
  let crate: CrateDocument;
  try {
    crate = CrateDocument.parse(json);
  } catch (error) {
    if (error instanceof ProblemError) throw problems.badCrate(error.message);
    throw error;
  }
  if (crate.rootId !== './' || crate.descriptorId() !== DESCRIPTOR_ID)
    throw problems.badCrate(`it needs a descriptor ${DESCRIPTOR_ID} about the root ./`);
  return json;
}
