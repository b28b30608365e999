export { CrateDocument, invalidCrate, type Entity, type Json } from './document.ts';
export { applyMetadata, metadataOf } from './mapping.ts';
export type { ResearchMetadata } from './codec.ts';
