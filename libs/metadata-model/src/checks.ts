/**
 * What every target needs of the metadata, whatever else each requires: identifiers that are
 * what they say (ORCID's check digit, ROR's form, SPDX licences, ISO 639-3 languages), text that
 * is more than spaces, a description that says something. Each finding names its field.
 */
import { canonicalMetadata, type Finding, type ResearchMetadata } from './canonical.ts';

/** DataCite requires a description to say something; InvenioRDM refuses fewer than 3 characters. */
export const MIN_DESCRIPTION = 3;

const blank = (text: string | undefined) => text !== undefined && text.trim() === '';

/** Every text of the metadata a person reads, with its field. */
function namedTexts(m: ResearchMetadata): [string, string | undefined][] {
  return [
    ['/title', m.title],
    ['/publisher', m.publisher],
    ['/version', m.version],
    ...(m.creators ?? []).flatMap((c, i): [string, string | undefined][] => [
      [`/creators/${i}/name`, c.name],
      [`/creators/${i}/givenName`, c.givenName],
      [`/creators/${i}/familyName`, c.familyName],
      ...(c.affiliations ?? []).map((a, j): [string, string] => [
        `/creators/${i}/affiliations/${j}/name`,
        a.name,
      ]),
    ]),
    ...(m.keywords ?? []).map((k, i): [string, string] => [`/keywords/${i}`, k]),
    ...(m.funding ?? []).flatMap((f, i): [string, string | undefined][] => [
      [`/funding/${i}/funder/name`, f.funder.name],
      [`/funding/${i}/awardNumber`, f.awardNumber],
      [`/funding/${i}/awardTitle`, f.awardTitle],
    ]),
  ];
}

/** What is wrong with the metadata for any target. */
export function modelFindings(metadata: ResearchMetadata): Finding[] {
  const findings = [...canonicalMetadata(metadata).findings];
  for (const [field, text] of namedTexts(metadata))
    if (blank(text))
      findings.push({ field, detail: 'has only spaces: write it out or leave it empty.' });
  const description = metadata.description?.trim();
  if (description !== undefined && description.length < MIN_DESCRIPTION)
    findings.push({
      field: '/description',
      detail: `says too little: at least ${MIN_DESCRIPTION} characters, or none.`,
    });
  return findings;
}
