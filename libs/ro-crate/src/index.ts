export {
  CrateDocument,
  DESCRIPTOR_ID,
  invalidCrate,
  MAX_DEPTH,
  nestsDeeperThan,
  RO_CRATE_CONTEXT,
  RO_CRATE_SPECIFICATION,
  type Entity,
  type Json,
} from './document.ts';
export { roCrateProblems } from './conformance.ts';
export { describeFiles, type CrateFile } from './files.ts';
export { fileId, keyOf } from './ids.ts';
export { applyMetadata, fieldsNotTaken, metadataOf } from './mapping.ts';
export { RELATION_PROPERTIES, RESOURCE_TYPES } from './vocabulary.ts';
export type { ResearchMetadata } from './codec.ts';
