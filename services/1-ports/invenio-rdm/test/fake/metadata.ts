/**
 * The fake's metadata rules, after InvenioRDM's record schema: a draft keeps what is valid and
 * reports the rest in `errors`; publishing refuses a draft with any error. An invalid value is
 * dropped from the draft, so at publish time it shows as missing (invenio-app-rdm issue 898).
 */

export interface FieldError {
  field: string;
  messages: string[];
}

export type Metadata = Record<string, unknown>;

const MISSING = 'Missing data for required field.';
const INVALID = 'Invalid value.';

/** The depositable ids of InvenioRDM's default resource type vocabulary (Zenodo uses the same). */
export const RESOURCE_TYPES = new Set([
  'publication',
  'publication-annotationcollection',
  'publication-book',
  'publication-section',
  'publication-conferencepaper',
  'publication-conferenceproceeding',
  'publication-datamanagementplan',
  'publication-journal',
  'publication-article',
  'publication-patent',
  'publication-peerreview',
  'publication-preprint',
  'publication-deliverable',
  'publication-milestone',
  'publication-proposal',
  'publication-report',
  'publication-softwaredocumentation',
  'publication-taxonomictreatment',
  'publication-technicalnote',
  'publication-workingpaper',
  'publication-datapaper',
  'publication-dissertation',
  'publication-standard',
  'publication-other',
  'poster',
  'presentation',
  'event',
  'dataset',
  'image',
  'image-figure',
  'image-plot',
  'image-drawing',
  'image-diagram',
  'image-photo',
  'image-other',
  'model',
  'video',
  'audio',
  'software',
  'software-computationalnotebook',
  'lesson',
  'other',
  'physicalobject',
  'workflow',
]);

const RELATED_SCHEMES = new Set([
  'ark',
  'arxiv',
  'bibcode',
  'doi',
  'ean13',
  'eissn',
  'handle',
  'igsn',
  'isbn',
  'issn',
  'istc',
  'lissn',
  'lsid',
  'pmid',
  'purl',
  'upc',
  'url',
  'urn',
  'w3id',
]);

const RELATION_TYPES = new Set(
  [
    'IsCitedBy Cites IsSupplementTo IsSupplementedBy IsContinuedBy Continues IsDescribedBy',
    'Describes HasMetadata IsMetadataFor HasVersion IsVersionOf IsNewVersionOf',
    'IsPreviousVersionOf IsPartOf HasPart IsReferencedBy References IsDocumentedBy Documents',
    'IsCompiledBy Compiles IsVariantFormOf IsOriginalFormOf IsIdenticalTo IsReviewedBy Reviews',
    'IsDerivedFrom IsSourceOf IsRequiredBy Requires IsObsoletedBy Obsoletes',
  ]
    .join(' ')
    .toLowerCase()
    .split(' '),
);

/** Fields the schema knows but the fake does not look into. */
const ACCEPTED_AS_IS = new Set([
  'additional_titles',
  'additional_descriptions',
  'contributors',
  'dates',
  'identifiers',
  'locations',
  'references',
  'formats',
  'sizes',
  'copyright',
]);

type Check = (value: unknown, field: string, errors: FieldError[]) => boolean;

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const isText = (value: unknown): value is string =>
  typeof value === 'string' && value.trim().length > 0;

function fail(errors: FieldError[], field: string, message: string): false {
  const existing = errors.find((e) => e.field === field);
  if (existing) existing.messages.push(message);
  else errors.push({ field, messages: [message] });
  return false;
}

/** EDTF level 0 as InvenioRDM takes it: a year, month or day, or an interval of two. */
export function isEdtfDate(value: string): boolean {
  return value.split('/').length <= 2 && value.split('/').every(isEdtfPoint);
}

function isEdtfPoint(value: string): boolean {
  const match = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/.exec(value);
  if (!match) return false;
  const [, year, month, day] = match;
  if (month === undefined) return true;
  if (Number(month) < 1 || Number(month) > 12) return false;
  if (day === undefined) return true;
  const date = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day)));
  return date.getUTCDate() === Number(day);
}

/** ORCID iDs carry an ISO 7064 MOD 11-2 check character, which InvenioRDM verifies. */
export function isOrcid(value: string): boolean {
  const match = /^(\d{4})-(\d{4})-(\d{4})-(\d{3})([\dX])$/.exec(value);
  if (!match) return false;
  const digits = match.slice(1, 5).join('');
  let total = 0;
  for (const digit of digits) total = (total + Number(digit)) * 2;
  const check = (12 - (total % 11)) % 11;
  return match[5] === (check === 10 ? 'X' : String(check));
}

const listOf =
  (item: Check, required = false): Check =>
  (value, field, errors) => {
    if (!Array.isArray(value)) return fail(errors, field, 'Not a valid list.');
    if (required && value.length === 0) return fail(errors, field, MISSING);
    return value.map((entry, i) => item(entry, `${field}.${i}`, errors)).every(Boolean);
  };

const text: Check = (value, field, errors) =>
  typeof value === 'string' || fail(errors, field, 'Not a valid string.');

const checks: Record<string, Check> = {
  resource_type: (value, field, errors) => {
    if (!isObject(value) || typeof value.id !== 'string') return fail(errors, field, INVALID);
    return RESOURCE_TYPES.has(value.id) || fail(errors, `${field}.id`, INVALID);
  },
  title: (value, field, errors) => {
    if (typeof value !== 'string') return fail(errors, field, 'Not a valid string.');
    return value.trim().length >= 3 || fail(errors, field, 'Shorter than minimum length 3.');
  },
  publication_date: (value, field, errors) =>
    (typeof value === 'string' && isEdtfDate(value)) ||
    fail(errors, field, 'Please provide a valid date or interval.'),
  creators: listOf(creator, true),
  description: text,
  version: text,
  publisher: text,
  subjects: listOf((value, field, errors) =>
    isObject(value) && (isText(value.subject) || isText(value.id))
      ? true
      : fail(errors, field, INVALID),
  ),
  rights: listOf((value, field, errors) =>
    isObject(value) && typeof value.id === 'string'
      ? /^[a-z0-9][a-z0-9.+-]*$/.test(value.id) || fail(errors, `${field}.id`, INVALID)
      : (isObject(value) && isObject(value.title)) || fail(errors, field, INVALID),
  ),
  languages: listOf(
    (value, field, errors) =>
      (isObject(value) && typeof value.id === 'string' && /^[a-z]{3}$/.test(value.id)) ||
      fail(errors, `${field}.id`, INVALID),
  ),
  related_identifiers: listOf((value, field, errors) => {
    if (!isObject(value)) return fail(errors, field, INVALID);
    let valid = isText(value.identifier) || fail(errors, `${field}.identifier`, MISSING);
    if (typeof value.scheme !== 'string' || !RELATED_SCHEMES.has(value.scheme))
      valid = fail(errors, `${field}.scheme`, INVALID);
    const relation = value.relation_type;
    if (!isObject(relation) || typeof relation.id !== 'string' || !RELATION_TYPES.has(relation.id))
      valid = fail(errors, `${field}.relation_type`, INVALID);
    return valid;
  }),
  funding: listOf((value, field, errors) => {
    if (!isObject(value) || !isObject(value.funder))
      return fail(errors, `${field}.funder`, MISSING);
    if (!isText(value.funder.id) && !isText(value.funder.name))
      return fail(errors, `${field}.funder`, INVALID);
    const award = value.award;
    if (award === undefined) return true;
    return (
      (isObject(award) && (isText(award.id) || isText(award.number))) ||
      fail(errors, `${field}.award`, INVALID)
    );
  }),
};

const REQUIRED = ['resource_type', 'title', 'publication_date', 'creators'];

function creator(value: unknown, field: string, errors: FieldError[]): boolean {
  if (!isObject(value)) return fail(errors, field, INVALID);
  const person = value.person_or_org;
  if (!isObject(person)) return fail(errors, `${field}.person_or_org`, MISSING);
  let valid = true;
  if (person.type === 'personal') {
    if (!isText(person.family_name))
      valid = fail(errors, `${field}.person_or_org.family_name`, 'Family name must be filled.');
    if (person.given_name !== undefined && typeof person.given_name !== 'string')
      valid = fail(errors, `${field}.person_or_org.given_name`, 'Not a valid string.');
  } else if (person.type === 'organizational') {
    if (!isText(person.name))
      valid = fail(errors, `${field}.person_or_org.name`, 'Name cannot be blank.');
  } else {
    valid = fail(errors, `${field}.person_or_org.type`, INVALID);
  }
  if (person.identifiers !== undefined) {
    valid =
      listOf((id, idField, idErrors) => {
        if (!isObject(id) || typeof id.identifier !== 'string')
          return fail(idErrors, idField, INVALID);
        if (id.scheme === 'orcid' && !isOrcid(id.identifier))
          return fail(idErrors, `${idField}.identifier`, 'Invalid ORCID identifier.');
        return true;
      })(person.identifiers, `${field}.person_or_org.identifiers`, errors) && valid;
  }
  if (value.affiliations !== undefined) {
    valid =
      listOf(
        (affiliation, affField, affErrors) =>
          (isObject(affiliation) && (isText(affiliation.id) || isText(affiliation.name))) ||
          fail(affErrors, affField, 'An existing id or a free text name must be present.'),
      )(value.affiliations, `${field}.affiliations`, errors) && valid;
  }
  return valid;
}

/**
 * Checks `metadata` as InvenioRDM does when a draft is saved: what passes is kept, every problem
 * (missing required fields included) is reported against its dotted field path.
 */
export function validateMetadata(metadata: unknown): { kept: Metadata; errors: FieldError[] } {
  const errors: FieldError[] = [];
  if (!isObject(metadata)) {
    return { kept: {}, errors: [{ field: 'metadata', messages: ['Not a valid mapping type.'] }] };
  }
  const kept: Metadata = {};
  for (const [name, value] of Object.entries(metadata)) {
    const check = checks[name];
    if (check) {
      if (check(value, `metadata.${name}`, errors)) kept[name] = value;
    } else if (ACCEPTED_AS_IS.has(name)) {
      kept[name] = value;
    } else {
      fail(errors, `metadata.${name}`, 'Unknown field.');
    }
  }
  for (const name of REQUIRED) {
    if (metadata[name] === undefined) fail(errors, `metadata.${name}`, MISSING);
  }
  return { kept, errors };
}
