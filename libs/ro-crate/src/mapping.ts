/**
 * RDS metadata ↔ an RO-Crate's Root Data Entity, field by field (see each codec for how a field
 * is said in schema.org terms).
 */
import { isDeepStrictEqual } from 'node:util';
import { canonicalMetadata } from '@rds/metadata-model';
import type { Codec, ResearchMetadata } from './codec.ts';
import { creators } from './creators.ts';
import type { CrateDocument, Json } from './document.ts';
import { FIELDS } from './fields.ts';
import { funding } from './funding.ts';
import { publisher } from './publisher.ts';
import { relatedIdentifiers } from './related.ts';

const CODECS = [...FIELDS, publisher, creators, funding, relatedIdentifiers] as Codec[];

function understood(crate: CrateDocument, codec: Codec): Record<string, Json[]> {
  return Object.fromEntries(
    codec.properties.map((property) => [
      property,
      crate
        .values(crate.rootId, property)
        .filter((value) => codec.understands(crate, value, property)),
    ]),
  );
}

/**
 * The fields of which a crate says something RDS could not take, such as a title over 500
 * characters: an import leaves them empty, and the user is told which.
 */
export function fieldsNotTaken(crate: CrateDocument): string[] {
  return CODECS.filter((codec) => {
    const said = understood(crate, codec);
    return (
      Object.values(said).some((values) => values.length > 0) &&
      codec.read(crate, said) === undefined
    );
  }).map((codec) => codec.field);
}

/** What RDS understands of a crate. */
export function metadataOf(crate: CrateDocument): ResearchMetadata {
  const metadata: Record<string, unknown> = {};
  for (const codec of CODECS) {
    const value = codec.read(crate, understood(crate, codec));
    if (value !== undefined) metadata[codec.field] = value;
  }
  return metadata as ResearchMetadata;
}

/**
 * Sets the metadata on a crate. A field the crate already says the same way is not touched, so
 * that it keeps its wording; a changed one replaces the values RDS understands, and every other
 * value, property and entity stays as it was. Entities RDS no longer refers to, and nothing else
 * does, are removed.
 */
export function applyMetadata(crate: CrateDocument, given: ResearchMetadata): void {
  const { metadata } = canonicalMetadata(given);
  for (const codec of CODECS) {
    const current = understood(crate, codec);
    const canonical = codec.canonical ?? ((v) => v);
    const value = metadata[codec.field];
    if (isDeepStrictEqual(canonical(codec.read(crate, current)), canonical(value))) continue;
    const wanted = codec.write(crate, value, current);
    for (const property of codec.properties) {
      crate.update(crate.rootId, property, wanted[property] ?? [], (v) =>
        codec.understands(crate, v, property),
      );
    }
  }
  crate.removeUnreferenced();
}
