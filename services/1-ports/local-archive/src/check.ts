import { modelFindings } from '@rds/metadata-model';
import { RELATION_PROPERTIES } from '@rds/ro-crate';
import type { Finding } from '@rds/ports';
import type { ResearchMetadata } from './records.ts';

/**
 * What the archive needs: a title, which names the record and its RO-Crate, and a licence,
 * which RO-Crate requires on the Root Data Entity.
 */
export const REQUIRED_METADATA = ['/title', '/license'];

/**
 * Everything in the metadata the archive would refuse to publish: a missing title or licence,
 * what is wrong for any target (the model's checks: identifiers, names of spaces), and what the
 * RO-Crate has no way to say (relations schema.org has no property for), which would otherwise
 * be lost without a word.
 */
export function findings(metadata: ResearchMetadata): Finding[] {
  const found: Finding[] = [];
  if (!metadata.title?.trim())
    found.push({ field: '/title', detail: 'is needed: it names the record and its RO-Crate.' });
  if (!metadata.license)
    found.push({
      field: '/license',
      detail: 'is needed: RO-Crate requires a licence for the published data.',
    });
  found.push(...modelFindings(metadata).filter((f) => !found.some((g) => g.field === f.field)));
  (metadata.relatedIdentifiers ?? []).forEach(({ relationType }, index) => {
    if (!RELATION_PROPERTIES[relationType])
      found.push({
        field: `/relatedIdentifiers/${index}/relationType`,
        detail: `${relationType} cannot be said in RO-Crate (schema.org has no property for it).`,
      });
  });
  return found;
}
