/**
 * Creators are the Root Data Entity's `author`s, as RO-Crate 1.1 describes people: a Person (or
 * Organization) entity whose `@id` is the ORCID URI where there is one, with `affiliation`s to
 * Organization entities whose `@id` is the ROR URI where there is one.
 */
import { isDeepStrictEqual } from 'node:util';
import { orcidOf, orcidUri, rorOf, rorUri } from './identifiers.ts';
import { firstText, namedEntity, text, type Codec, type Creator } from './codec.ts';
import type { CrateDocument, Json } from './document.ts';

type Affiliation = NonNullable<Creator['affiliations']>[number];
const AGENT_TYPES = ['Person', 'Organization'];

function readOrganization(crate: CrateDocument, value: Json): Affiliation | undefined {
  const entity = namedEntity(crate, value);
  const name = entity ? firstText(crate.values(entity['@id'], 'name')) : text(value);
  if (!name) return undefined;
  const ror =
    entity &&
    (rorOf(entity['@id']) ?? crate.values(entity['@id'], 'identifier').map(rorOf).find(Boolean));
  return ror ? { name, ror } : { name };
}

/** The Organization entity for an affiliation or funder: by ROR, else one of the same name, else new. */
export function organizationId(crate: CrateDocument, { name, ror }: Affiliation): string {
  const id =
    (ror && rorUri(ror)) ??
    crate.find(
      (e) =>
        crate.types(e['@id']).includes('Organization') &&
        firstText(crate.values(e['@id'], 'name')) === name,
    )?.['@id'] ??
    crate.newId(name);
  if (!crate.entity(id)) crate.add({ '@id': id, '@type': 'Organization', name });
  else if (firstText(crate.values(id, 'name')) !== name) crate.setText(id, 'name', name);
  return id;
}

const understandsOrganization = (crate: CrateDocument) => (value: Json) =>
  readOrganization(crate, value) !== undefined;

function readCreator(crate: CrateDocument, value: Json): Creator | undefined {
  const entity = crate.referenced(value);
  if (!entity) {
    const name = text(value);
    return name ? { name } : undefined;
  }
  const id = entity['@id'];
  const types = crate.types(id);
  const organizational = types.includes('Organization') && !types.includes('Person');
  const givenName = organizational ? undefined : firstText(crate.values(id, 'givenName'));
  const familyName = organizational ? undefined : firstText(crate.values(id, 'familyName'));
  const name =
    givenName && familyName ? `${familyName}, ${givenName}` : firstText(crate.values(id, 'name'));
  if (!name) return undefined;
  const orcid = orcidOf(id) ?? crate.values(id, 'identifier').map(orcidOf).find(Boolean);
  const affiliations = crate
    .values(id, 'affiliation')
    .flatMap((v) => readOrganization(crate, v) ?? []);
  return {
    name,
    ...(organizational ? { nameType: 'Organizational' as const } : {}),
    ...(givenName ? { givenName } : {}),
    ...(familyName ? { familyName } : {}),
    ...(orcid ? { orcid } : {}),
    ...(affiliations.length > 0 ? { affiliations } : {}),
  };
}

/** A Personal creator is one whose name type is not said: DataCite's default. */
const canonicalCreator = ({ nameType, ...creator }: Creator): Creator =>
  nameType === 'Organizational' ? { ...creator, nameType } : creator;

/** schema.org names people as they are spoken; DataCite's "Family, Given" is for citations. */
const spokenName = ({ name, nameType, givenName, familyName }: Creator) =>
  nameType !== 'Organizational' && givenName && familyName ? `${givenName} ${familyName}` : name;

/** Sets what RDS knows of a creator on its entity, leaving the entity's other properties. */
function describe(crate: CrateDocument, id: string, creator: Creator): void {
  const organizational = creator.nameType === 'Organizational';
  if (!crate.entity(id))
    crate.add({ '@id': id, '@type': organizational ? 'Organization' : 'Person' });
  else
    crate.update(id, '@type', [organizational ? 'Organization' : 'Person'], (t) =>
      AGENT_TYPES.includes(t as string),
    );
  const { givenName, familyName } = organizational ? {} : creator;
  crate.setText(id, 'name', spokenName(creator));
  crate.setText(id, 'givenName', givenName);
  crate.setText(id, 'familyName', familyName);
  crate.update(
    id,
    'affiliation',
    (creator.affiliations ?? []).map((a) => ({ '@id': organizationId(crate, a) })),
    understandsOrganization(crate),
  );
}

export const creators: Codec<'creators'> = {
  field: 'creators',
  properties: ['author'],
  understands: (crate, value) => readCreator(crate, value) !== undefined,
  read: (crate, { author = [] }) => {
    const found = author.flatMap((v) => readCreator(crate, v) ?? []);
    return found.length > 0 ? found : undefined;
  },
  canonical: (value) => value?.map(canonicalCreator),
  write: (crate, value = [], { author = [] }) => {
    const current = author.map((v) => ({ value: v, creator: readCreator(crate, v)! }));
    const taken = new Set<(typeof current)[number]>();
    const take = (match: (c: (typeof current)[number]) => boolean) => {
      const found = current.find((c) => !taken.has(c) && match(c));
      if (found) taken.add(found);
      return found;
    };
    return {
      author: value.map((creator): Json => {
        // An unchanged creator keeps its value, and its entity, exactly as they were.
        const same = take((c) =>
          isDeepStrictEqual(canonicalCreator(c.creator), canonicalCreator(creator)),
        );
        if (same) return same.value;
        const earlier = take(
          (c) =>
            crate.referenced(c.value) !== undefined &&
            (creator.orcid ? c.creator.orcid === creator.orcid : c.creator.name === creator.name),
        );
        const id =
          crate.referenced(earlier?.value ?? null)?.['@id'] ??
          (creator.orcid ? orcidUri(creator.orcid) : crate.newId(spokenName(creator)));
        describe(crate, id, creator);
        return { '@id': id };
      }),
    };
  },
};
