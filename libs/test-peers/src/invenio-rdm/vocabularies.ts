/**
 * Zenodo's vocabularies (ids only; from shared/reference/zenodo-vocabularies.json, see
 * @rds/zenodo-vocabularies) and how InvenioRDM checks a record against them: the record's
 * relation fields (invenio-rdm-records `invenio_rdm_records/records/api.py`, `relations`), each
 * validated on commit (invenio-records `systemfields/relations/results.py`, validate). An unknown
 * id raises InvalidRelationValue("Invalid value <id>."), answered 400 with that message
 * (invenio-rdm-records `resources/config.py`, error_handlers); a vocabulary entry without the
 * tag a field needs raises InvalidCheckValue, answered 400 "Not a valid value." (invenio-records-
 * resources `resources/errors.py`). Either way the transaction is rolled back: nothing is saved.
 *
 * Affiliations, funders, awards and subjects are vocabularies Zenodo loads from ROR, OpenAIRE
 * and others; the fake does not hold them and takes their ids as they come.
 */
import { zenodoVocabularies as zenodo } from '@rds/zenodo-vocabularies';
import type { Metadata } from './metadata.ts';

const sets = {
  languages: new Set(zenodo.languages),
  licenses: new Set(zenodo.licenses),
  relationtypes: new Set(zenodo.relationtypes),
  titletypes: new Set(zenodo.titletypes),
  descriptiontypes: new Set(zenodo.descriptiontypes),
  datetypes: new Set(zenodo.datetypes),
  roles: new Set(zenodo.roles),
};
const resourceTypes = new Map(Object.entries(zenodo.resourcetypes));

export class VocabularyRefusal extends Error {}

type Entry = Record<string, unknown>;

const listAt = (metadata: Metadata, name: string): Entry[] =>
  Array.isArray(metadata[name]) ? (metadata[name] as Entry[]) : [];
const idOf = (value: unknown) =>
  typeof value === 'object' && value !== null ? (value as Entry).id : undefined;

/**
 * One relation field: its values' ids in order. A value without an id ends the check of that
 * field (results.py catches the KeyError and returns), as a free-text licence does.
 */
function check(
  ids: unknown[],
  known: (id: string) => boolean,
  tag?: string,
  tags?: Map<string, string[]>,
) {
  for (const id of ids) {
    if (typeof id !== 'string') return;
    if (!known(id)) throw new VocabularyRefusal(`Invalid value ${id}.`);
    if (tag && !tags?.get(id)?.includes(tag)) throw new VocabularyRefusal('Not a valid value.');
  }
}

/** Throws the refusal InvenioRDM gives for the first unknown id, in the order of api.py's relations. */
export function checkVocabularies(metadata: Metadata): void {
  const inSet = (set: Set<string>) => (id: string) => set.has(id);
  const nestedIds = (list: string, field: string) =>
    listAt(metadata, list).map((e) => idOf(e[field]));
  check(listAt(metadata, 'languages').map(idOf), inSet(sets.languages));
  if (metadata.resource_type !== undefined)
    check(
      [idOf(metadata.resource_type)],
      (id) => resourceTypes.has(id),
      'depositable',
      resourceTypes,
    );
  check(listAt(metadata, 'rights').map(idOf), inSet(sets.licenses));
  check(
    nestedIds('related_identifiers', 'resource_type'),
    (id) => resourceTypes.has(id),
    'linkable',
    resourceTypes,
  );
  check(nestedIds('additional_titles', 'type'), inSet(sets.titletypes));
  check(nestedIds('additional_titles', 'lang'), inSet(sets.languages));
  check(nestedIds('creators', 'role'), inSet(sets.roles));
  check(nestedIds('contributors', 'role'), inSet(sets.roles));
  check(nestedIds('additional_descriptions', 'type'), inSet(sets.descriptiontypes));
  check(nestedIds('additional_descriptions', 'lang'), inSet(sets.languages));
  check(nestedIds('dates', 'type'), inSet(sets.datetypes));
  check(nestedIds('related_identifiers', 'relation_type'), inSet(sets.relationtypes));
}
