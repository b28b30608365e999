/**
 * How RDS's metadata is said in schema.org terms, as the metadata service reads and writes
 * RO-Crates (services/2-use-cases/metadata), so that RDS reads the archive's crates back as it
 * wrote them.
 */
import type { ResearchMetadata } from './records.ts';

type ResourceType = NonNullable<ResearchMetadata['resourceType']>;
type RelatedIdentifier = NonNullable<ResearchMetadata['relatedIdentifiers']>[number];

/** The type the Root Data Entity carries beside `Dataset`; `dataset` and `other` add none. */
export const RESOURCE_TYPES: Partial<Record<ResourceType, string>> = {
  software: 'SoftwareSourceCode',
  workflow: 'ComputationalWorkflow',
  publication: 'ScholarlyArticle',
  image: 'ImageObject',
  video: 'VideoObject',
  audio: 'AudioObject',
  poster: 'Poster',
  presentation: 'PresentationDigitalDocument',
};

/** The Root Data Entity's property for each relation type schema.org can say. */
export const RELATION_PROPERTIES: Partial<Record<RelatedIdentifier['relationType'], string>> = {
  Cites: 'citation',
  IsPartOf: 'isPartOf',
  IsDerivedFrom: 'isBasedOn',
  IsIdenticalTo: 'sameAs',
  IsDescribedBy: 'subjectOf',
};

export const orcidUri = (orcid: string) => `https://orcid.org/${orcid}`;
export const rorUri = (ror: string) => `https://ror.org/${ror}`;
export const spdxUri = (id: string) => `https://spdx.org/licenses/${id}`;

const URI_PREFIXES: Partial<Record<RelatedIdentifier['scheme'], string>> = {
  doi: 'https://doi.org/',
  handle: 'https://hdl.handle.net/',
  arxiv: 'https://arxiv.org/abs/',
  pmid: 'https://pubmed.ncbi.nlm.nih.gov/',
  orcid: 'https://orcid.org/',
  isbn: 'urn:isbn:',
  issn: 'urn:issn:',
};

/** A related work's identifier as the URI a crate refers to it by. */
export function relatedUri({ scheme, identifier }: RelatedIdentifier): string {
  const prefix = URI_PREFIXES[scheme];
  if (!prefix || identifier.startsWith(prefix)) return identifier;
  return prefix + identifier.replace(/^doi:/i, '');
}
