/**
 * Identifiers as RDS's metadata holds them (an ORCID, a ROR id, an SPDX id, a DOI) and as an
 * RO-Crate holds them: as URIs, which serve as the `@id`s of the entities they name.
 */
import type { components } from '@rds/contracts/generated/metadata';

type RelatedIdentifier = NonNullable<
  components['schemas']['ResearchMetadata']['relatedIdentifiers']
>[number];
type Scheme = RelatedIdentifier['scheme'];

const ORCID = /^\d{4}-\d{4}-\d{4}-\d{3}[\dX]$/;
const ROR = /^0[a-z0-9]{8}$/;
const SPDX_ID = /^[A-Za-z0-9][A-Za-z0-9.+-]{0,99}$/;

export { orcidUri, rorUri } from '@rds/metadata-model';
export const spdxUri = (id: string) => `https://spdx.org/licenses/${id}`;

/** The ORCID in an ORCID URI (`https://orcid.org/0000-0002-1825-0097`), if it is one. */
export function orcidOf(uri: unknown): string | undefined {
  const match = typeof uri === 'string' && /^https?:\/\/orcid\.org\/([^/]+)\/?$/.exec(uri);
  return match && ORCID.test(match[1]!) ? match[1] : undefined;
}

/** The ROR id in a ROR URI (`https://ror.org/05gq02987`), if it is one. */
export function rorOf(uri: unknown): string | undefined {
  const match = typeof uri === 'string' && /^https?:\/\/ror\.org\/([^/]+)\/?$/.exec(uri);
  return match && ROR.test(match[1]!) ? match[1] : undefined;
}

const CREATIVE_COMMONS =
  /^https?:\/\/creativecommons\.org\/licenses\/(by(?:-nc)?(?:-sa|-nd)?)\/(\d\.\d)\/?(?:legalcode)?$/;

/** The SPDX id of a license URI: SPDX's own, or Creative Commons' (common in Describo's crates). */
export function spdxOfUri(uri: unknown): string | undefined {
  if (typeof uri !== 'string') return undefined;
  const spdx = /^https?:\/\/spdx\.org\/licenses\/([^/]+?)(?:\.html|\.json)?\/?$/.exec(uri);
  if (spdx) return SPDX_ID.test(spdx[1]!) ? spdx[1] : undefined;
  const cc = CREATIVE_COMMONS.exec(uri);
  if (cc) return `CC-${cc[1]!.toUpperCase()}-${cc[2]}`;
  return /^https?:\/\/creativecommons\.org\/publicdomain\/zero\/1\.0\/?$/.test(uri)
    ? 'CC0-1.0'
    : undefined;
}

/** The SPDX id of a license given as text: a license URI, or an SPDX id as it is. */
export function spdxOf(text: unknown): string | undefined {
  return spdxOfUri(text) ?? (typeof text === 'string' && SPDX_ID.test(text) ? text : undefined);
}

const URI_PREFIXES: [Scheme, string][] = [
  ['doi', 'https://doi.org/'],
  ['handle', 'https://hdl.handle.net/'],
  ['arxiv', 'https://arxiv.org/abs/'],
  ['pmid', 'https://pubmed.ncbi.nlm.nih.gov/'],
  ['orcid', 'https://orcid.org/'],
  ['isbn', 'urn:isbn:'],
  ['issn', 'urn:issn:'],
];

/** A related identifier as the URI an RO-Crate references it by. */
export function relatedUri({
  scheme,
  identifier,
}: Omit<RelatedIdentifier, 'relationType'>): string {
  const prefix = URI_PREFIXES.find(([s]) => s === scheme)?.[1];
  if (!prefix || identifier.startsWith(prefix)) return identifier;
  return prefix + identifier.replace(/^doi:/i, '');
}

/** A URI of a related work as an identifier and its scheme; http URIs of no known scheme are URLs. */
export function relatedOf(uri: unknown): Omit<RelatedIdentifier, 'relationType'> | undefined {
  if (typeof uri !== 'string') return undefined;
  const normal = uri
    .replace(/^http:\/\//, 'https://')
    .replace(/^https:\/\/dx\.doi\.org\//, 'https://doi.org/');
  for (const [scheme, prefix] of URI_PREFIXES) {
    if (normal.startsWith(prefix) && normal.length > prefix.length)
      return { scheme, identifier: normal.slice(prefix.length) };
  }
  if (/^https?:\/\/\S+$/.test(uri)) return { scheme: 'url', identifier: uri };
  if (/^urn:\S+$/i.test(uri)) return { scheme: 'urn', identifier: uri };
  return undefined;
}
