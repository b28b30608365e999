export { canonicalMetadata, type Finding, type ResearchMetadata } from './canonical.ts';
export { MIN_DESCRIPTION, modelFindings } from './checks.ts';
export { orcid, orcidUri, ror, rorUri, type Checked } from './identifiers.ts';
export { languageCode, languageName, shortestLanguageCode, spdxLicense } from './vocabularies.ts';
