/**
 * The bag's RO-Crate 1.1 metadata: the record's metadata on the Root Data Entity (people and
 * organisations as entities named by their ORCID and ROR URIs), and a File entity per file with
 * its size and sha256. It lies in `data/`, the crate's root, so the manifests cover it too.
 */
import { posix } from 'node:path';
import mime from 'mime-types';
import { CRATE_KEY } from './names.ts';
import { problems } from './problems.ts';
import type { ResearchMetadata, StoredFile } from './records.ts';
import {
  RELATION_PROPERTIES,
  RESOURCE_TYPES,
  orcidUri,
  relatedUri,
  rorUri,
  spdxUri,
} from './vocabulary.ts';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Entity = { '@id': string } & { [property: string]: Json };
type Reference = { '@id': string };
/** An entity as it is added: properties without a value are left out. */
type NewEntity = { '@id': string } & { [property: string]: Json | undefined };

export interface Crate {
  '@context': Json;
  '@graph': Entity[];
}

type Creator = NonNullable<ResearchMetadata['creators']>[number];
type Affiliation = NonNullable<Creator['affiliations']>[number];
type Funding = NonNullable<ResearchMetadata['funding']>[number];
type RelatedIdentifier = NonNullable<ResearchMetadata['relatedIdentifiers']>[number];

const CONTEXT = 'https://w3id.org/ro/crate/1.1/context';
const SPECIFICATION = 'https://w3id.org/ro/crate/1.1';
const ROOT = './';

export interface Publication {
  metadata: ResearchMetadata;
  /** The payload the crate describes, without the crate itself. */
  files: StoredFile[];
  identifier: string;
  /** Said where the metadata names no version of its own. */
  version: number;
  /** `YYYY-MM-DD`, said where the metadata names no publication date. */
  published: string;
}

/** Entities by `@id` in the order first added; adding one again merges its properties. */
class Graph {
  private readonly entities = new Map<string, Entity>();

  add(entity: NewEntity): Reference {
    const id = entity['@id'];
    const present = Object.entries(entity).filter(
      ([, value]) => value !== undefined && !(Array.isArray(value) && value.length === 0),
    );
    this.entities.set(id, { ...this.entities.get(id), ...Object.fromEntries(present) } as Entity);
    return { '@id': id };
  }

  find(predicate: (entity: Entity) => boolean): Entity | undefined {
    return [...this.entities.values()].find(predicate);
  }

  /** A local id (`#name`, `#name-2`, …) made as the metadata service makes them. */
  newId(name: string): string {
    const slug =
      name
        .toLowerCase()
        .replace(/[^\p{L}\p{N}]+/gu, '-')
        .replace(/^-|-$/g, '') || 'entity';
    let id = `#${slug}`;
    for (let n = 2; this.entities.has(id); n++) id = `#${slug}-${n}`;
    return id;
  }

  toJSON(): Entity[] {
    return [...this.entities.values()];
  }
}

const unique = (values: Json[]) =>
  [...new Map(values.map((v) => [JSON.stringify(v), v])).values()] as Json[];

const asList = (value: Json | undefined): Json[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

/** A file's `@id`: its path in the crate, each name URI-encoded. */
export const fileId = (key: string) => key.split('/').map(encodeURIComponent).join('/');

function organization(graph: Graph, { name, ror }: Affiliation): Reference {
  const id =
    (ror ? rorUri(ror) : undefined) ??
    graph.find((e) => e['@type'] === 'Organization' && e.name === name)?.['@id'] ??
    graph.newId(name);
  return graph.add({ '@id': id, '@type': 'Organization', name });
}

function agent(graph: Graph, creator: Creator): Reference {
  const organizational = creator.nameType === 'Organizational';
  const { givenName, familyName } = organizational ? {} : creator;
  // schema.org names people as they are spoken; DataCite's "Family, Given" is for citations.
  const name = givenName && familyName ? `${givenName} ${familyName}` : creator.name;
  return graph.add({
    '@id': creator.orcid ? orcidUri(creator.orcid) : graph.newId(name),
    '@type': organizational ? 'Organization' : 'Person',
    name,
    givenName,
    familyName,
    affiliation: creator.affiliations?.map((a) => organization(graph, a)),
  });
}

/** A funder, and the project of the award (an Organization) where the award is named. */
function funders(graph: Graph, award: Funding): Reference[] {
  const funder = organization(graph, award.funder);
  if (!award.awardNumber && !award.awardTitle) return [funder];
  const project = graph.add({
    '@id': graph.newId(`project ${award.awardNumber ?? award.awardTitle}`),
    '@type': 'Organization',
    identifier: award.awardNumber,
    name: award.awardTitle,
    funder,
  });
  return [project, funder];
}

/** Relations schema.org cannot say are left out; `checkMetadata` reports them. */
function relations(graph: Graph, related: RelatedIdentifier[]): Record<string, Reference[]> {
  const properties: Record<string, Reference[]> = {};
  for (const relation of related) {
    const property = RELATION_PROPERTIES[relation.relationType];
    if (!property) continue;
    const uri = relatedUri(relation);
    (properties[property] ??= []).push(
      graph.add({ '@id': uri, '@type': 'CreativeWork', identifier: uri }),
    );
  }
  return properties;
}

function file(graph: Graph, { key, size, sha256 }: StoredFile): Reference {
  return graph.add({
    '@id': fileId(key),
    '@type': 'File',
    name: posix.basename(key),
    contentSize: String(size),
    sha256,
    encodingFormat: mime.lookup(key) || undefined,
  });
}

/** The crate of a publication; with `base`, the crate the user uploaded, completed. */
export function describe(publication: Publication, base?: Crate): Crate {
  const { metadata } = publication;
  const graph = new Graph();
  graph.add({
    '@id': CRATE_KEY,
    '@type': 'CreativeWork',
    conformsTo: { '@id': SPECIFICATION },
    about: { '@id': ROOT },
  });
  // Added first so that the root comes right after the descriptor, as people expect to read it.
  graph.add({ '@id': ROOT, '@type': 'Dataset' });
  const type = metadata.resourceType && RESOURCE_TYPES[metadata.resourceType];
  const license = metadata.license && {
    '@id': metadata.license.url ?? spdxUri(metadata.license.id),
    '@type': 'CreativeWork',
    name: metadata.license.id,
    identifier: metadata.license.id,
  };
  graph.add({
    '@id': ROOT,
    '@type': type ? ['Dataset', type] : 'Dataset',
    name: metadata.title,
    description: metadata.description,
    datePublished: metadata.publicationDate ?? publication.published,
    license: license && graph.add(license),
    author: metadata.creators?.map((c) => agent(graph, c)),
    keywords: metadata.keywords,
    version: metadata.version ?? String(publication.version),
    identifier: publication.identifier,
    inLanguage: metadata.language,
    funder: unique((metadata.funding ?? []).flatMap((f) => funders(graph, f))),
    ...relations(graph, metadata.relatedIdentifiers ?? []),
    hasPart: publication.files.map((f) => file(graph, f)),
  });
  const crate = { '@context': CONTEXT, '@graph': graph.toJSON() };
  return base ? onto(base, crate) : crate;
}

/**
 * The archive's entities over those of a crate the user uploaded: what the archive says of an
 * entity replaces what the crate said of the same properties; every other entity and property
 * stays, and the root keeps the parts it listed beside the archive's files.
 */
function onto(base: Crate, ours: Crate): Crate {
  const graph = new Map(base['@graph'].map((e) => [e['@id'], e]));
  for (const entity of ours['@graph']) {
    const theirs = graph.get(entity['@id']);
    const merged: Entity = { ...theirs, ...entity };
    if (entity['@id'] === ROOT)
      merged.hasPart = unique([...asList(theirs?.hasPart), ...asList(entity.hasPart)]);
    graph.set(entity['@id'], merged);
  }
  return { '@context': base['@context'] ?? CONTEXT, '@graph': [...graph.values()] };
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** An uploaded `ro-crate-metadata.json`, if it can be the record's crate: one about the bag's `data/`. */
export function readCrate(text: string): Crate {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw problems.badCrate('it is not JSON');
  }
  const graph = isObject(json) ? json['@graph'] : undefined;
  if (!Array.isArray(graph) || !graph.every((e) => isObject(e) && typeof e['@id'] === 'string'))
    throw problems.badCrate('it needs a @graph of entities, each with an @id');
  const descriptor = (graph as Entity[]).find((e) => e['@id'] === CRATE_KEY);
  const about = descriptor && asList(descriptor.about)[0];
  if (!isObject(about) || about['@id'] !== ROOT)
    throw problems.badCrate(`it needs a descriptor ${CRATE_KEY} about the root ${ROOT}`);
  return json as unknown as Crate;
}
