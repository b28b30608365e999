/** The fields of the metadata that are one or a few plain values of the Root Data Entity. */
import { languageCode, shortestLanguageCode } from '@rds/metadata-model';
import { spdxOf, spdxOfUri, spdxUri } from './identifiers.ts';
import { RESOURCE_TYPES, type ResourceType } from './vocabulary.ts';
import { firstText, isText, text, type Codec, type ResearchMetadata } from './codec.ts';
import { isReference } from './document.ts';

/** A field that is the first text of one property; RDS replaces every text value of it. */
function plainText<F extends 'title' | 'description' | 'version'>(
  field: F,
  property: string,
  max: number,
): Codec<F> {
  return {
    field,
    properties: [property],
    understands: (_crate, value) =>
      isText(value) || (field === 'version' && typeof value === 'number'),
    read: (_crate, values) =>
      firstText(
        values[property]!.map((v) => (typeof v === 'number' ? String(v) : v)),
        max,
      ) as ResearchMetadata[F] | undefined,
    write: (_crate, value) => ({ [property]: value === undefined ? [] : [value as string] }),
  };
}

const ISO_DATE = /^(\d{4}-\d{2}-\d{2})(?:$|T)/;

/** `datePublished` may be a year or a timestamp; only a day is a publication date. */
const publicationDate: Codec<'publicationDate'> = {
  field: 'publicationDate',
  properties: ['datePublished'],
  understands: (_crate, value) => isText(value),
  read: (_crate, { datePublished = [] }) => {
    for (const value of datePublished) {
      const day = typeof value === 'string' ? ISO_DATE.exec(value)?.[1] : undefined;
      // Date takes 30 February as 1 March: a day that comes back as itself is a real one.
      const time = day ? new Date(`${day}T00:00:00Z`).getTime() : NaN;
      if (!Number.isNaN(time) && new Date(time).toISOString().startsWith(day!)) return day;
    }
    return undefined;
  },
  write: (_crate, value) => ({ datePublished: value === undefined ? [] : [value] }),
};

/** schema.org keywords are a comma-separated text, a list, or both. */
const keywords: Codec<'keywords'> = {
  field: 'keywords',
  properties: ['keywords'],
  understands: (_crate, value) => isText(value),
  read: (_crate, values) => {
    const words = values.keywords!.flatMap((v) =>
      typeof v === 'string' ? v.split(',').flatMap((w) => text(w, 200) ?? []) : [],
    );
    return words.length > 0 ? [...new Set(words)] : undefined;
  },
  write: (_crate, value = []) => ({ keywords: value }),
};

/**
 * RO-Crate 1.1: the license is a contextual entity, its `@id` the license's URI; SPDX ids become
 * `https://spdx.org/licenses/<id>`. A license text RDS cannot name stays as it is.
 */
const license: Codec<'license'> = {
  field: 'license',
  properties: ['license'],
  understands: (_crate, value) => isText(value) || isReference(value),
  read: (crate, values) => {
    for (const value of values.license!) {
      const uri = isReference(value) ? value['@id'] : value;
      const entity = crate.referenced(value);
      const id =
        (entity && crate.values(entity['@id'], 'identifier').map(spdxOf).find(Boolean)) ??
        (isReference(value) ? spdxOfUri(uri) : spdxOf(uri));
      if (id === undefined) continue;
      const url = typeof uri === 'string' && /^https?:\/\/\S+$/.test(uri) ? uri : undefined;
      return url && url !== spdxUri(id) ? { id, url } : { id };
    }
    return undefined;
  },
  write: (crate, value) => {
    if (!value) return { license: [] };
    const uri = value.url ?? spdxUri(value.id);
    const entity = crate.entity(uri);
    if (!entity)
      crate.add({ '@id': uri, '@type': 'CreativeWork', name: value.id, identifier: value.id });
    else if (!crate.values(uri, 'identifier').some((v) => spdxOf(v) === value.id))
      crate.setText(uri, 'identifier', value.id);
    return { license: [{ '@id': uri }] };
  },
};

/**
 * `inLanguage` is a language code (BCP 47, of which RDS takes the primary subtag) or a Language
 * entity; RDS keeps the ISO 639-3 code and writes the shortest code, as BCP 47 asks (`en`, `haw`).
 */
const language: Codec<'language'> = {
  field: 'language',
  properties: ['inLanguage'],
  understands: (_crate, value) => isText(value) || isReference(value),
  read: (crate, { inLanguage = [] }) => {
    for (const value of inLanguage) {
      const entity = crate.referenced(value);
      const codes = entity
        ? [
            ...crate.values(entity['@id'], 'alternateName'),
            ...crate.values(entity['@id'], 'identifier'),
          ]
        : [value];
      for (const code of codes) {
        const known = typeof code === 'string' ? languageCode(code.split('-')[0]!) : undefined;
        if (known && 'id' in known) return known.id;
      }
    }
    return undefined;
  },
  write: (_crate, value) => ({
    inLanguage: value === undefined ? [] : [shortestLanguageCode(value)],
  }),
};

const TYPES = new Map(Object.entries(RESOURCE_TYPES).map(([k, v]) => [v, k as ResourceType]));

/** The Root Data Entity is a Dataset; what else it is says the resource type. */
const resourceType: Codec<'resourceType'> = {
  field: 'resourceType',
  properties: ['@type'],
  understands: (_crate, value) => typeof value === 'string' && TYPES.has(value),
  read: (_crate, values) => TYPES.get(values['@type']![0] as string) ?? 'dataset',
  write: (_crate, value) => {
    const type = value && RESOURCE_TYPES[value];
    return { '@type': type ? [type] : [] };
  },
};

export const FIELDS = [
  plainText('title', 'name', 500),
  plainText('description', 'description', 50_000),
  publicationDate,
  resourceType,
  keywords,
  license,
  language,
  plainText('version', 'version', 100),
] as Codec[];
