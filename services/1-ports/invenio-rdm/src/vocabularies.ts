/**
 * Zenodo's vocabularies, by id (../vocabularies/zenodo.json, from Zenodo's own vocabulary data):
 * InvenioRDM refuses an id outside them with 400 "Invalid value <id>." and saves nothing, so the
 * port checks them first and names the field.
 */
import zenodo from '../vocabularies/zenodo.json' with { type: 'json' };

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
