import type { components } from '@rds/contracts/generated/repository';
import type { Finding } from './problems.ts';

export type ResearchMetadata = components['schemas']['ResearchMetadata'];
type Creator = components['schemas']['Creator'];

/** What InvenioRDM needs before it publishes, as pointers into the canonical metadata. */
export const REQUIRED_METADATA = ['/title', '/creators', '/publicationDate', '/resourceType'];

/** InvenioRDM's record schema refuses shorter titles. */
const SHORTEST_TITLE = 3;

/** InvenioRDM names languages by ISO 639-3; RDS takes ISO 639-1 too, for the common ones. */
const ISO_639_3 = new Map(
  (
    'ar:ara bg:bul cs:ces cy:cym da:dan de:deu el:ell en:eng es:spa et:est fa:fas fi:fin ' +
    'fr:fra ga:gle he:heb hi:hin hr:hrv hu:hun is:isl it:ita ja:jpn ko:kor la:lat lt:lit ' +
    'lv:lav nb:nob nl:nld nn:nno no:nor pl:pol pt:por ro:ron ru:rus sk:slk sl:slv sr:srp ' +
    'sv:swe tr:tur uk:ukr zh:zho'
  )
    .split(' ')
    .map((pair) => pair.split(':') as [string, string]),
);

/** DataCite's identifier schemes that InvenioRDM also takes for related identifiers. */
const RELATED_SCHEMES = new Set(['doi', 'url', 'handle', 'isbn', 'issn', 'arxiv', 'pmid', 'urn']);

export type InvenioMetadata = Record<string, unknown>;

/**
 * Maps RDS's canonical metadata to InvenioRDM's, and finds every field the repository would
 * refuse, each as a JSON Pointer into the canonical metadata: all of them at once, so that a
 * user fixes the description once, before anything is created.
 */
export function toInvenio(
  source: ResearchMetadata,
  servicename: string,
): { metadata: InvenioMetadata; findings: Finding[] } {
  const findings: Finding[] = [];
  const find = (field: string, detail: string) => findings.push({ field, detail });
  const metadata: InvenioMetadata = {};

  if (source.resourceType === undefined)
    find('/resourceType', `${servicename} needs a resource type`);
  else metadata.resource_type = { id: source.resourceType };

  if (source.title === undefined) find('/title', `${servicename} needs a title`);
  else if (source.title.trim().length < SHORTEST_TITLE)
    find('/title', `${servicename} needs a title of at least ${SHORTEST_TITLE} characters`);
  else metadata.title = source.title;

  if (source.publicationDate === undefined)
    find('/publicationDate', `${servicename} needs a publication date`);
  else metadata.publication_date = source.publicationDate;

  if (!source.creators?.length) find('/creators', `${servicename} needs at least one creator`);
  else metadata.creators = source.creators.map((c, i) => creatorOf(c, `/creators/${i}`, find));

  if (source.description !== undefined) metadata.description = source.description;
  if (source.version !== undefined) metadata.version = source.version;
  if (source.keywords?.length) metadata.subjects = source.keywords.map((subject) => ({ subject }));
  // InvenioRDM's licence vocabulary holds SPDX identifiers in lower case.
  if (source.license) metadata.rights = [{ id: source.license.id.toLowerCase() }];

  if (source.language !== undefined) {
    const id = source.language.length === 3 ? source.language : ISO_639_3.get(source.language);
    if (id) metadata.languages = [{ id }];
    else
      find('/language', `give the ISO 639-3 code of this language; ${servicename} takes no other`);
  }

  if (source.relatedIdentifiers?.length) {
    metadata.related_identifiers = source.relatedIdentifiers.map((related, i) => {
      if (!RELATED_SCHEMES.has(related.scheme))
        find(
          `/relatedIdentifiers/${i}/scheme`,
          `${servicename} takes no ${related.scheme} identifiers for related works`,
        );
      return {
        identifier: related.identifier,
        scheme: related.scheme,
        relation_type: { id: related.relationType.toLowerCase() },
      };
    });
  }

  if (source.funding?.length) {
    metadata.funding = source.funding.map((funding, i) => {
      if (funding.awardTitle !== undefined && funding.awardNumber === undefined)
        find(
          `/funding/${i}/awardNumber`,
          `${servicename} needs the number of an award with a title`,
        );
      return {
        funder: funding.funder.ror ? { id: funding.funder.ror } : { name: funding.funder.name },
        ...(funding.awardNumber !== undefined
          ? {
              award: {
                number: funding.awardNumber,
                ...(funding.awardTitle ? { title: { en: funding.awardTitle } } : {}),
              },
            }
          : {}),
      };
    });
  }
  return { metadata, findings };
}

function creatorOf(
  creator: Creator,
  pointer: string,
  find: (field: string, detail: string) => void,
): Record<string, unknown> {
  const affiliations = creator.affiliations?.map((a) =>
    a.ror ? { id: a.ror, name: a.name } : { name: a.name },
  );
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
  if (!familyName)
    find(
      `${pointer}/familyName`,
      'a person needs a family name: set familyName, or write name as "Family, Given"',
    );
  if (creator.orcid !== undefined && !isOrcid(creator.orcid))
    find(`${pointer}/orcid`, 'is not an ORCID iD: its check digit does not match');
  return withAffiliations({
    type: 'personal',
    ...(familyName ? { family_name: familyName } : {}),
    ...(givenName ? { given_name: givenName } : {}),
    ...(creator.orcid ? { identifiers: [{ scheme: 'orcid', identifier: creator.orcid }] } : {}),
  });
}

/** An ORCID iD ends in an ISO 7064 MOD 11-2 check character, which InvenioRDM verifies. */
export function isOrcid(value: string): boolean {
  const digits = value.replace(/-/g, '');
  if (!/^\d{15}[\dX]$/.test(digits)) return false;
  let total = 0;
  for (const digit of digits.slice(0, 15)) total = (total + Number(digit)) * 2;
  const check = (12 - (total % 11)) % 11;
  return digits[15] === (check === 10 ? 'X' : String(check));
}

const POINTERS: [RegExp, (match: RegExpExecArray) => string][] = [
  [/^metadata\.title/, () => '/title'],
  [/^metadata\.resource_type/, () => '/resourceType'],
  [/^metadata\.publication_date/, () => '/publicationDate'],
  [/^metadata\.description/, () => '/description'],
  [/^metadata\.version/, () => '/version'],
  [/^metadata\.rights/, () => '/license'],
  [/^metadata\.languages/, () => '/language'],
  [/^metadata\.subjects(?:\.(\d+))?/, (m) => `/keywords${m[1] ? `/${m[1]}` : ''}`],
  [
    /^metadata\.related_identifiers(?:\.(\d+))?/,
    (m) => `/relatedIdentifiers${m[1] ? `/${m[1]}` : ''}`,
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
