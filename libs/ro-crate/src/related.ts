/**
 * Related identifiers are references from the Root Data Entity to the related work's URI, by the
 * schema.org property of the relation (RO-Crate 1.1: a publication is a `citation` whose `@id` is
 * its DOI URI), with a contextual entity for the work where the crate has none.
 */
import { relatedOf, relatedUri } from './identifiers.ts';
import { RELATION_PROPERTIES, type RelationType } from './vocabulary.ts';
import type { Codec } from './codec.ts';
import { isReference, type Json } from './document.ts';

const PROPERTIES = Object.values(RELATION_PROPERTIES);
const RELATIONS = new Map(
  Object.entries(RELATION_PROPERTIES).map(([type, property]) => [property, type as RelationType]),
);

const uriOf = (value: Json) => (isReference(value) ? value['@id'] : value);

export const relatedIdentifiers: Codec<'relatedIdentifiers'> = {
  field: 'relatedIdentifiers',
  properties: PROPERTIES,
  understands: (_crate, value) => relatedOf(uriOf(value)) !== undefined,
  read: (_crate, values) => {
    const found = PROPERTIES.flatMap((property) =>
      values[property]!.flatMap((value) => {
        const related = relatedOf(uriOf(value));
        return related ? [{ ...related, relationType: RELATIONS.get(property)! }] : [];
      }),
    );
    return found.length > 0 ? found : undefined;
  },
  write: (crate, value = []) => {
    const wanted: Record<string, Json[]> = Object.fromEntries(PROPERTIES.map((p) => [p, []]));
    for (const related of value) {
      const property = RELATION_PROPERTIES[related.relationType];
      if (!property) continue;
      const uri = relatedUri(related);
      if (!crate.entity(uri)) crate.add({ '@id': uri, '@type': 'CreativeWork', identifier: uri });
      wanted[property]!.push({ '@id': uri });
    }
    return wanted;
  },
};
