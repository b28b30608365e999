/**
 * Zenodo's vocabularies, by id (@rds/zenodo-vocabularies, from Zenodo's own vocabulary data):
 * InvenioRDM refuses an id outside them with 400 "Invalid value <id>." and saves nothing, so the
 * port checks them first and names the field.
 */
import { zenodoVocabularies as zenodo } from '@rds/zenodo-vocabularies';

export const vocabularies = {
  licenses: new Set(zenodo.licenses),
  languages: new Set(zenodo.languages),
  relationTypes: new Set(zenodo.relationtypes),
  /** Those a record may be (tagged depositable); the rest only describe related works. */
  resourceTypes: new Set(
    Object.entries(zenodo.resourcetypes)
      .filter(([, tags]) => tags.includes('depositable'))
      .map(([id]) => id),
  ),
};
