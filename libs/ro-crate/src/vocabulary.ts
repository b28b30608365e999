/**
 * Where DataCite's words meet schema.org's: the tables RO-Crate metadata is read and written by.
 */
import type { components } from '@rds/contracts/generated/metadata';

type ResearchMetadata = components['schemas']['ResearchMetadata'];
export type ResourceType = NonNullable<ResearchMetadata['resourceType']>;
export type RelationType = NonNullable<
  ResearchMetadata['relatedIdentifiers']
>[number]['relationType'];

/**
 * The schema.org type a Root Data Entity carries beside `Dataset` for each resource type. The
 * root of a crate is a Dataset whatever it holds, so `dataset` adds nothing, and `other` has no
 * type to say it with: a crate with neither reads as `dataset`.
 */
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

/**
 * The schema.org property of the Root Data Entity for each DataCite relation type that has one.
 * `citation` is RO-Crate 1.1's way to a publication; `hasPart` is not here because it lists the
 * crate's own files. Relations of other types are not written to a crate.
 */
export const RELATION_PROPERTIES: Partial<Record<RelationType, string>> = {
  Cites: 'citation',
  IsPartOf: 'isPartOf',
  IsDerivedFrom: 'isBasedOn',
  IsIdenticalTo: 'sameAs',
  IsDescribedBy: 'subjectOf',
};
