/**
 * The fake's metadata rules, after InvenioRDM's record schema (invenio-rdm-records
 * `invenio_rdm_records/services/schemas/metadata.py`, MetadataSchema) as marshmallow applies it:
 * saving a draft keeps what is valid and reports the rest in `errors` (invenio-drafts-resources
 * `services/records/service.py`, create and update_draft load with `raise_errors=False`);
 * publishing loads the draft again and refuses any error (same file, `_validate_draft`). The fake
 * drops a whole top-level field that has an error, where marshmallow keeps the valid part of a
 * nested one: either way the field is missing or short at publish time.
 *
 * Field paths are marshmallow's error dict flattened with dots (invenio-records-resources
 * `errors.py`, validation_error_to_list_errors): `metadata.creators.0.person_or_org.family_name`.
 */
import { PERSONORG_SCHEMES, RELATED_SCHEMES } from './idutils.ts';

export interface FieldError {
  field: string;
  messages: string[];
}

export type Metadata = Record<string, unknown>;

// marshmallow's own messages (marshmallow `fields.py`, `schema.py`, `validate.py`).
const MISSING = 'Missing data for required field.';
const NOT_A_STRING = 'Not a valid string.';
const NOT_A_LIST = 'Not a valid list.';
const NOT_A_MAPPING = 'Invalid input type.';
const UNKNOWN = 'Unknown field.';
const shorterThan = (n: number) => `Shorter than minimum length ${n}.`;
const longerThan = (n: number) => `Longer than maximum length ${n}.`;

type Errors = FieldError[];
type Check = (value: unknown, field: string, errors: Errors) => boolean;

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Python's `len()` counts code points. */
const length = (value: string) => [...value].length;

/**
 * marshmallow-utils `fields/sanitizedunicode.py` and `html.py` sanitize_unicode: SanitizedUnicode
 * strips the ends; so does SanitizedHTML (`fields/sanitizedhtml.py`, a TrimmedString).
 */
const sanitized = (value: string) => value.trim().replace(/\u200b/g, '');

export function fail(errors: Errors, field: string, message: string): false {
  const existing = errors.find((e) => e.field === field);
  if (existing) existing.messages.push(message);
  else errors.push({ field, messages: [message] });
  return false;
}

/** marshmallow's default `unknown = RAISE`: MetadataSchema and its nested schemas set no other. */
function knownOnly(value: Record<string, unknown>, known: string[], field: string, errors: Errors) {
  let valid = true;
  for (const name of Object.keys(value)) {
    if (!known.includes(name)) valid = fail(errors, `${field}.${name}`, UNKNOWN);
  }
  return valid;
}

function text(options: { min?: number; max?: number; required?: boolean } = {}): Check {
  return (value, field, errors) => {
    if (typeof value !== 'string') return fail(errors, field, NOT_A_STRING);
    const n = length(sanitized(value));
    if (options.min !== undefined && n < options.min)
      return fail(errors, field, shorterThan(options.min));
    if (options.max !== undefined && n > options.max)
      return fail(errors, field, longerThan(options.max));
    return true;
  };
}

const listOf =
  (item: Check, options: { min?: number } = {}): Check =>
  (value, field, errors) => {
    if (!Array.isArray(value)) return fail(errors, field, NOT_A_LIST);
    // MetadataSchema.creators: validate.Length(min=1, error="Missing data for required field.")
    if (options.min !== undefined && value.length < options.min)
      return fail(errors, field, MISSING);
    return value.map((entry, i) => item(entry, `${field}.${i}`, errors)).every(Boolean);
  };

/** A nested schema: a mapping with known fields, each checked, some required. */
function nested(
  fields: Record<string, Check>,
  required: string[] = [],
  after?: (value: Record<string, unknown>, field: string, errors: Errors) => boolean,
): Check {
  return (value, field, errors) => {
    if (!isObject(value)) return fail(errors, field, NOT_A_MAPPING);
    let valid = knownOnly(value, Object.keys(fields), field, errors);
    for (const [name, check] of Object.entries(fields)) {
      if (value[name] === undefined) {
        if (required.includes(name)) valid = fail(errors, `${field}.${name}`, MISSING);
      } else if (!check(value[name], `${field}.${name}`, errors)) valid = false;
    }
    // marshmallow runs schema validators only when the fields passed.
    return valid && after ? after(value, field, errors) : valid;
  };
}

/**
 * invenio-vocabularies `services/schema.py` VocabularyRelationSchema: `id` required; the dump-only
 * `title` is removed before loading (its `clean` pre_load).
 */
const vocabulary: Check = (value, field, errors) => {
  if (isObject(value)) {
    const { title: _title, ...rest } = value;
    return nested({ id: text() }, ['id'])(rest, field, errors);
  }
  return fail(errors, field, NOT_A_MAPPING);
};

/**
 * invenio-vocabularies ContribVocabularyRelationSchema (`services/schema.py`): an id, or the free
 * text field (`name` for affiliations and funders, `subject` for subjects).
 */
function contribVocabulary(freeText: string, parent: string, extra: Record<string, Check> = {}) {
  return nested(
    { id: text(), [freeText]: text({ min: 1 }), ...extra },
    [],
    (value, field, errors) =>
      value.id || value[freeText]
        ? true
        : fail(
            errors,
            `${field}.${parent}`,
            `An existing id or a free text ${freeText} must be present.`,
          ),
  );
}

/**
 * marshmallow-utils `schemas/identifier.py` IdentifierSchema: a scheme detected or given, allowed,
 * and the identifier valid for it by idutils.
 */
function identifier(
  schemes: Record<string, { label: string; valid: (v: string) => boolean }>,
  extra: Record<string, Check> = {},
): Check {
  return nested({ identifier: text(), scheme: text(), ...extra }, [], (value, field, errors) => {
    const id = typeof value.identifier === 'string' ? sanitized(value.identifier) : '';
    const scheme = typeof value.scheme === 'string' ? sanitized(value.scheme) : '';
    let valid = true;
    if (!scheme)
      valid = fail(
        errors,
        `${field}.scheme`,
        id ? 'No valid scheme recognized for identifier.' : MISSING,
      );
    else if (!schemes[scheme]) valid = fail(errors, `${field}.scheme`, 'Invalid scheme.');
    if (!id) valid = fail(errors, `${field}.identifier`, MISSING);
    else if (schemes[scheme] && !schemes[scheme].valid(id))
      valid = fail(errors, `${field}.identifier`, `Invalid ${schemes[scheme].label} identifier.`);
    return valid;
  });
}

/**
 * marshmallow-utils `fields/identifier.py`: IdentifierSet takes one identifier per scheme,
 * IdentifierValueSet no (scheme, identifier) twice; checked once the items are valid.
 */
function identifierSet(item: Check, by: 'scheme' | 'value'): Check {
  return (value, field, errors) => {
    if (!listOf(item)(value, field, errors)) return false;
    const entries = value as Record<string, unknown>[];
    const keys = entries.map((e) => (by === 'scheme' ? e.scheme : `${e.scheme} ${e.identifier}`));
    if (new Set(keys).size === keys.length) return true;
    return fail(
      errors,
      field,
      by === 'scheme'
        ? 'Only one identifier per scheme is allowed.'
        : 'Duplicated identifier entry is not allowed.',
    );
  };
}

/** EDTF as marshmallow-utils' EDTFDateString takes it, level 0: a date or an interval of two. */
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

const edtfDate: Check = (value, field, errors) =>
  (typeof value === 'string' && isEdtfDate(value)) ||
  fail(errors, field, 'Please provide a valid date or interval.');

const PERSON_TYPES = ['organizational', 'personal'];

/** metadata.py PersonOrOrganizationSchema, with its validate_names. */
const personOrOrg = nested(
  {
    type: (value, field, errors) =>
      (typeof value === 'string' && PERSON_TYPES.includes(value)) ||
      fail(errors, field, `Invalid value. Choose one of ['organizational', 'personal'].`),
    name: text(),
    given_name: text(),
    family_name: text(),
    identifiers: identifierSet(identifier(PERSONORG_SCHEMES), 'scheme'),
  },
  ['type'],
  (value, field, errors) => {
    const filled = (name: string) =>
      typeof value[name] === 'string' && sanitized(value[name]).length > 0;
    if (value.type === 'personal' && !filled('family_name'))
      return fail(errors, `${field}.family_name`, 'Family name cannot be blank.');
    if (value.type === 'organizational' && !filled('name'))
      return fail(errors, `${field}.name`, 'Name cannot be blank.');
    return true;
  },
);

/** metadata.py validate_affiliations_data: no affiliation twice. */
function distinctAffiliations(value: Record<string, unknown>, field: string, errors: Errors) {
  const affiliations = (value.affiliations ?? []) as Record<string, unknown>[];
  const names = new Set(affiliations.map((a) => a.name ?? a.id));
  if (names.size === affiliations.length) return true;
  return fail(
    errors,
    `${field}.affiliations`,
    `Duplicated affiliations: ${[...names].filter(Boolean).join(', ')}`,
  );
}

const affiliations = listOf(contribVocabulary('name', 'affiliations'));

/** metadata.py CreatorSchema and ContributorSchema. */
const creator = nested(
  { person_or_org: personOrOrg, role: vocabulary, affiliations },
  ['person_or_org'],
  distinctAffiliations,
);
const contributor = nested(
  { person_or_org: personOrOrg, role: vocabulary, affiliations },
  ['person_or_org', 'role'],
  distinctAffiliations,
);

/** metadata.py RightsSchema, with validate_rights: an existing id, or free text, not both. */
const rights = nested(
  {
    id: text(),
    title: (value, field, errors) => isObject(value) || fail(errors, field, NOT_A_MAPPING),
    description: (value, field, errors) => isObject(value) || fail(errors, field, NOT_A_MAPPING),
    props: nested({ url: text(), scheme: text() }),
    link: text(),
  },
  [],
  (value, field, errors) => {
    if (!value.id && !value.title)
      return fail(errors, `${field}.rights`, 'An existing id or a free text title must be present');
    if (value.id && Object.keys(value).length > 1)
      return fail(
        errors,
        `${field}.rights`,
        'Only an existing id or free text title/description/link is accepted, but not both cases at the same time',
      );
    return true;
  },
);

/** metadata.py RelatedIdentifierSchema: an IdentifierSchema of the record schemes, with a relation. */
const relatedIdentifier = identifier(RELATED_SCHEMES, {
  relation_type: vocabulary,
  resource_type: vocabulary,
});
const relatedIdentifierWithRelation: Check = (value, field, errors) => {
  const valid = relatedIdentifier(value, field, errors);
  // validate_related_identifier: the relation type is required.
  if (isObject(value) && value.relation_type === undefined)
    return fail(errors, `${field}.relation_type`, MISSING);
  return valid;
};

/** invenio-vocabularies `contrib/awards/schema.py` AwardRelationSchema. */
const award = nested(
  {
    id: text(),
    number: text(),
    title: (value, field, errors) => isObject(value) || fail(errors, field, NOT_A_MAPPING),
    identifiers: listOf((value) => isObject(value)),
    acronym: text(),
    program: text(),
  },
  [],
  (value, field, errors) =>
    value.id || value.number || value.title
      ? true
      : fail(errors, `${field}.award`, 'An existing id or either number or title must be present.'),
);

/** metadata.py MetadataSchema, field by field. */
const FIELDS: Record<string, Check> = {
  resource_type: vocabulary,
  creators: listOf(creator, { min: 1 }),
  title: text({ min: 3 }),
  additional_titles: listOf(
    nested({ title: text({ min: 3 }), type: vocabulary, lang: vocabulary }, ['title', 'type']),
  ),
  publisher: text(),
  publication_date: edtfDate,
  subjects: listOf(contribVocabulary('subject', 'subjects', { scheme: text() })),
  contributors: listOf(contributor),
  dates: listOf(
    nested({ date: edtfDate, type: vocabulary, description: text() }, ['date', 'type']),
  ),
  languages: listOf(vocabulary),
  identifiers: identifierSet(identifier(RELATED_SCHEMES), 'value'),
  related_identifiers: listOf(relatedIdentifierWithRelation),
  sizes: listOf(text({ min: 1 })),
  formats: listOf(text({ min: 1 })),
  version: text({ max: 191 }),
  rights: listOf(rights),
  copyright: text({ min: 1 }),
  description: text({ min: 3 }),
  additional_descriptions: listOf(
    nested({ description: text({ min: 3 }), type: vocabulary, lang: vocabulary }, [
      'description',
      'type',
    ]),
  ),
  locations: (value, field, errors) => isObject(value) || fail(errors, field, NOT_A_MAPPING),
  funding: listOf(
    nested(
      {
        funder: contribVocabulary('name', 'funder'),
        award,
      },
      ['funder'],
    ),
  ),
  references: listOf(
    nested({ reference: text(), identifier: text(), scheme: text() }, ['reference']),
  ),
};

const REQUIRED = ['resource_type', 'creators', 'title', 'publication_date'];

/**
 * Checks `metadata` as InvenioRDM's schema does when a draft is saved: what passes is kept, every
 * problem (missing required fields and unknown fields included) is reported by its field path.
 */
export function validateMetadata(metadata: unknown): { kept: Metadata; errors: FieldError[] } {
  const errors: FieldError[] = [];
  if (!isObject(metadata))
    return { kept: {}, errors: [{ field: 'metadata', messages: [NOT_A_MAPPING] }] };
  const kept: Metadata = {};
  for (const [name, value] of Object.entries(metadata)) {
    const check = FIELDS[name];
    if (!check) fail(errors, `metadata.${name}`, UNKNOWN);
    else if (check(value, `metadata.${name}`, errors)) kept[name] = value;
  }
  for (const name of REQUIRED) {
    if (metadata[name] === undefined) fail(errors, `metadata.${name}`, MISSING);
  }
  return { kept, errors };
}
