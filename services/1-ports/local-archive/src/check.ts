import type { Finding } from './problems.ts';
import type { ResearchMetadata } from './records.ts';
import { RELATION_PROPERTIES } from './vocabulary.ts';

/** What the archive needs: a title, which names the record and its RO-Crate. */
export const REQUIRED_METADATA = ['/title'];

/**
 * Everything in the metadata the archive would refuse to publish: a missing title, and what
 * the RO-Crate has no way to say (relations schema.org has no property for), which would
 * otherwise be lost without a word.
 */
export function findings(metadata: ResearchMetadata): Finding[] {
  const found: Finding[] = [];
  if (!metadata.title?.trim())
    found.push({ field: '/title', detail: 'is needed: it names the record and its RO-Crate.' });
  (metadata.relatedIdentifiers ?? []).forEach(({ relationType }, index) => {
    if (!RELATION_PROPERTIES[relationType])
      found.push({
        field: `/relatedIdentifiers/${index}/relationType`,
        detail: `${relationType} cannot be said in RO-Crate (schema.org has no property for it).`,
      });
  });
  return found;
}
