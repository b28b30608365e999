import type { components } from '@rds/contracts/generated/repository';
import { languageCode, orcid, spdxLicense } from '@rds/metadata-model';
import { RELATED_SCHEMES } from './identifiers.ts';
import type { Finding } from '@rds/ports';
import { vocabularies } from './vocabularies.ts';

export type ResearchMetadata = components['schemas']['ResearchMetadata'];
type Creator = components['schemas']['Creator'];

/** What InvenioRDM needs before it publishes, as pointers into the canonical metadata. */
export const REQUIRED_METADATA = ['/title', '/creators', '/publicationDate', '/resourceType'];

/** How the port fills in what the metadata leaves to the target. */
export interface MetadataRules {
  servicename: string;
  /** The publisher DataCite needs, when the metadata names none. */
  publisher: string;
}

/** InvenioRDM's record schema refuses shorter titles and descriptions (after trimming). */
const SHORTEST_TEXT = 3;

/** Python counts code points, as InvenioRDM's length checks do. */
const length = (text: string) => [...text.trim()].length;

export type InvenioMetadata = Record<string, unknown>;

/** The mapped metadata, what the repository would refuse, and where each vocabulary id came from. */
export interface Mapped {
  metadata: InvenioMetadata;
  findings: Finding[];
  /** Vocabulary id sent → its pointer, to place InvenioRDM's "Invalid value <id>." */
  vocabularyIds: Map<string, string>;
}

/**
 * Maps RDS's canonical metadata to InvenioRDM's, and finds every field the repository would
 * refuse, each as a JSON Pointer into the canonical metadata: all of them at once, so that a
 * user fixes the description once, before anything is created. The rules are InvenioRDM's and
 * Zenodo's: the record schema's, the vocabularies', and the identifier checks of idutils.
 */
export function toInvenio(source: ResearchMetadata, rules: MetadataRules): Mapped {
  const { servicename } = rules;
  const findings: Finding[] = [];
  const find = (field: string, detail: string) => findings.push({ field, detail });
  const vocabularyIds = new Map<string, string>();
  const vocabularyId = (id: string, pointer: string) => (vocabularyIds.set(id, pointer), id);
  const metadata: InvenioMetadata = {};

  if (source.resourceType === undefined)
    find('/resourceType', `${servicename} needs a resource type`);
  else if (!vocabularies.resourceTypes.has(source.resourceType))
    find('/resourceType', `${servicename} has no resource type "${source.resourceType}"`);
  else metadata.resource_type = { id: vocabularyId(source.resourceType, '/resourceType') };

  if (source.title === undefined) find('/title', `${servicename} needs a title`);
  else if (length(source.title) < SHORTEST_TEXT)
    find('/title', `${servicename} needs a title of at least ${SHORTEST_TEXT} characters`);
  else metadata.title = source.title;

  // DataCite's Publisher: InvenioRDM's DataCite DOIs need it, to save a draft without an error
  // and to publish.
  metadata.publisher = source.publisher ?? rules.publisher;

  if (source.publicationDate === undefined)
    find('/publicationDate', `${servicename} needs a publication date`);
  else metadata.publication_date = source.publicationDate;

  if (!source.creators?.length) find('/creators', `${servicename} needs at least one creator`);
  else metadata.creators = source.creators.map((c, i) => creatorOf(c, `/creators/${i}`, find));

  if (source.description !== undefined) {
    if (length(source.description) < SHORTEST_TEXT)
      find(
        '/description',
        `${servicename} needs a description of at least ${SHORTEST_TEXT} characters`,
      );
    else metadata.description = source.description;
  }
  if (source.version !== undefined) metadata.version = source.version;
  if (source.keywords?.length) metadata.subjects = source.keywords.map((subject) => ({ subject }));

  if (source.license) {
    const license = licenseOf(source.license.id, servicename);
    if ('finding' in license) find('/license', license.finding);
    else metadata.rights = [{ id: vocabularyId(license.id, '/license') }];
  }

  if (source.language !== undefined) {
    // InvenioRDM names languages by ISO 639-3; RDS takes ISO 639-1 codes too.
    const code = languageCode(source.language);
    if ('problem' in code) find('/language', code.problem);
    else if (!vocabularies.languages.has(code.id))
      find('/language', `${servicename} has no language "${code.id}" in its list`);
    else metadata.languages = [{ id: vocabularyId(code.id, '/language') }];
  }

  if (source.relatedIdentifiers?.length) {
    metadata.related_identifiers = source.relatedIdentifiers.map((related, i) => {
      const pointer = `/relatedIdentifiers/${i}`;
      const scheme = RELATED_SCHEMES[related.scheme];
      if (!scheme)
        find(
          `${pointer}/scheme`,
          `${servicename} takes no ${related.scheme} identifiers for related works`,
        );
      else if (!scheme.valid(related.identifier.trim()))
        find(`${pointer}/identifier`, `is not a valid ${scheme.name}`);
      const relation = related.relationType.toLowerCase();
      if (!vocabularies.relationTypes.has(relation))
        find(`${pointer}/relationType`, `${servicename} has no relation "${related.relationType}"`);
      return {
        identifier: related.identifier,
        scheme: related.scheme,
        relation_type: { id: vocabularyId(relation, `${pointer}/relationType`) },
      };
    });
  }

  if (source.funding?.length) {
    // An award is known by its number or its title (invenio-vocabularies' award schema).
    metadata.funding = source.funding.map((funding) => {
      const award = {
        ...(funding.awardNumber !== undefined ? { number: funding.awardNumber } : {}),
        ...(funding.awardTitle ? { title: { en: funding.awardTitle } } : {}),
      };
      return {
        funder: funding.funder.ror ? { id: funding.funder.ror } : { name: funding.funder.name },
        ...(Object.keys(award).length > 0 ? { award } : {}),
      };
    });
  }
  return { metadata, findings, vocabularyIds };
}

/**
 * Zenodo's licence ids are SPDX ids in lower case; SPDX ids that SPDX has withdrawn (GPL-3.0) are
 * not among them.
 */
function licenseOf(spdx: string, servicename: string): { id: string } | { finding: string } {
  const id = spdx.toLowerCase();
  if (vocabularies.licenses.has(id)) return { id };
  const known = spdxLicense(spdx);
  return {
    finding:
      'problem' in known
        ? known.problem
        : `${servicename} does not offer the licence ${known.id}; choose another from its list`,
  };
}

function creatorOf(
  creator: Creator,
  pointer: string,
  find: (field: string, detail: string) => void,
): Record<string, unknown> {
  const affiliations = creator.affiliations?.map((a) =>
    a.ror ? { id: a.ror, name: a.name } : { name: a.name },
  );
  const names = new Set(creator.affiliations?.map((a) => a.name));
  if (creator.affiliations && names.size < creator.affiliations.length)
    find(`${pointer}/affiliations`, 'names the same affiliation twice');
  const withAffiliations = (personOrOrg: Record<string, unknown>) => ({
    person_or_org: personOrOrg,
    ...(affiliations?.length ? { affiliations } : {}),
  });
  if (creator.nameType === 'Organizational') {
    return withAffiliations({ type: 'organizational', name: creator.name });
  }
  // "Family, Given" is how DataCite writes a person's name; anything else cannot be split safely.
  const [family, given] = creator.name.includes(',')
    ? creator.name.split(/,(.*)/s).map((part) => part.trim())
    : [];
  const familyName = creator.familyName ?? family;
  const givenName = creator.givenName ?? given;
  if (!familyName?.trim())
    find(
      `${pointer}/familyName`,
      'a person needs a family name: set familyName, or write name as "Family, Given"',
    );
  // ORCID's check digit and number ranges, as InvenioRDM's idutils checks them.
  const orcidId = creator.orcid === undefined ? undefined : orcid(creator.orcid);
  if (orcidId && 'problem' in orcidId) find(`${pointer}/orcid`, orcidId.problem);
  return withAffiliations({
    type: 'personal',
    ...(familyName ? { family_name: familyName } : {}),
    ...(givenName ? { given_name: givenName } : {}),
    ...(orcidId && 'id' in orcidId
      ? { identifiers: [{ scheme: 'orcid', identifier: orcidId.id }] }
      : {}),
  });
}

const POINTERS: [RegExp, (match: RegExpExecArray) => string][] = [
  [/^metadata\.title/, () => '/title'],
  [/^metadata\.publisher/, () => '/publisher'],
  [/^metadata\.resource_type/, () => '/resourceType'],
  [/^metadata\.publication_date/, () => '/publicationDate'],
  [/^metadata\.description/, () => '/description'],
  [/^metadata\.version/, () => '/version'],
  [/^metadata\.rights/, () => '/license'],
  [/^metadata\.languages/, () => '/language'],
  [/^metadata\.subjects(?:\.(\d+))?/, (m) => `/keywords${m[1] ? `/${m[1]}` : ''}`],
  [
    /^metadata\.related_identifiers(?:\.(\d+)(?:\.(identifier|scheme|relation_type))?)?/,
    (m) => {
      const part = { identifier: 'identifier', scheme: 'scheme', relation_type: 'relationType' }[
        m[2] ?? ''
      ];
      return `/relatedIdentifiers${m[1] ? `/${m[1]}` : ''}${part ? `/${part}` : ''}`;
    },
  ],
  [/^metadata\.funding(?:\.(\d+))?/, (m) => `/funding${m[1] ? `/${m[1]}` : ''}`],
  [
    /^metadata\.creators(?:\.(\d+)(?:\.person_or_org\.(family_name|given_name|name|identifiers)|\.(affiliations))?)?/,
    (m) => {
      const part =
        { family_name: 'familyName', given_name: 'givenName', name: 'name', identifiers: 'orcid' }[
          m[2] ?? ''
        ] ?? m[3];
      return `/creators${m[1] ? `/${m[1]}` : ''}${part ? `/${part}` : ''}`;
    },
  ],
];

/** Where a field InvenioRDM refused (`metadata.creators.0.person_or_org.family_name`) is in the canonical metadata. */
export function canonicalPointer(field: string): string {
  for (const [pattern, pointer] of POINTERS) {
    const match = pattern.exec(field);
    if (match) return pointer(match);
  }
  return '';
}
