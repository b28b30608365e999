/**
 * The publisher (DataCite 4 Publisher) is the Root Data Entity's schema.org `publisher`: text,
 * or an Organization (or Person) entity with a name, which is how RDS writes it.
 */
import { firstText, namedEntity, text, type Codec } from './codec.ts';
import { organizationId } from './creators.ts';
import type { CrateDocument, Json } from './document.ts';

const readPublisher = (crate: CrateDocument, value: Json): string | undefined => {
  const entity = namedEntity(crate, value);
  return entity ? firstText(crate.values(entity['@id'], 'name'), 500) : text(value, 500);
};

export const publisher: Codec<'publisher'> = {
  field: 'publisher',
  properties: ['publisher'],
  understands: (crate, value) => readPublisher(crate, value) !== undefined,
  read: (crate, { publisher: values = [] }) =>
    values.map((v) => readPublisher(crate, v)).find((name) => name !== undefined),
  write: (crate, value) => ({
    publisher: value === undefined ? [] : [{ '@id': organizationId(crate, { name: value }) }],
  }),
};
