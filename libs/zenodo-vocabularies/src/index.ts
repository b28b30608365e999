/**
 * Zenodo's vocabularies by id (../README.md says where they come from). They are data about
 * Zenodo, not about the port or the fake: the invenio-rdm port checks metadata against them
 * before it sends any, and the fake of Zenodo in @rds/test-peers refuses what Zenodo refuses
 * with them. Kept here, neither depends on the other.
 */
import zenodo from '../zenodo.json' with { type: 'json' };

export const zenodoVocabularies = zenodo;
