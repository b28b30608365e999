export { canonicalMetadata, type Finding, type ResearchMetadata } from './canonical.ts';
export { MIN_DESCRIPTION, modelFindings } from './checks.ts';
export { orcid, orcidUri, ror, rorUri, type Checked } from './identifiers.ts';
export {
  LANGUAGES,
  languageCode,
  languageName,
  shortestLanguageCode,
  SPDX_LICENSE_IDS,
  spdxLicense,
} from './vocabularies.ts';
