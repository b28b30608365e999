/**
 * The metadata as RDS keeps it: identifiers in their canonical form, whatever form they were
 * pasted in. What cannot be made canonical stays as it was and is named, field by field, as a
 * JSON Pointer into the metadata (`/creators/0/orcid`), so that a form can show it at its field.
 */
import type { components } from '@rds/contracts/generated/metadata';
import { orcid, ror, type Checked } from './identifiers.ts';
import { relatedIdentifier } from './related.ts';
import { languageCode, spdxLicense } from './vocabularies.ts';

export type ResearchMetadata = components['schemas']['ResearchMetadata'];
type Creator = NonNullable<ResearchMetadata['creators']>[number];
type Organization = { name: string; ror?: string };

export interface Finding {
  /** A JSON Pointer into the metadata. */
  field: string;
  detail: string;
}

/** Keeps the canonical id, or the text as it was and a finding at `field`. */
function canonicalId(
  text: string | undefined,
  field: string,
  check: (text: string) => Checked,
  findings: Finding[],
): string | undefined {
  if (text === undefined) return undefined;
  const checked = check(text);
  if ('id' in checked) return checked.id;
  findings.push({ field, detail: `${JSON.stringify(text)} ${checked.problem}` });
  return text;
}

function organization<O extends Organization>(o: O, field: string, findings: Finding[]): O {
  const id = canonicalId(o.ror, `${field}/ror`, ror, findings);
  return id === undefined ? o : { ...o, ror: id };
}

function creator(c: Creator, field: string, findings: Finding[]): Creator {
  const id = canonicalId(c.orcid, `${field}/orcid`, orcid, findings);
  return {
    ...c,
    ...(id === undefined ? {} : { orcid: id }),
    ...(c.affiliations
      ? {
          affiliations: c.affiliations.map((a, i) =>
            organization(a, `${field}/affiliations/${i}`, findings),
          ),
        }
      : {}),
  };
}

/** The metadata with its identifiers canonical, and what could not be made so. */
export function canonicalMetadata(metadata: ResearchMetadata): {
  metadata: ResearchMetadata;
  findings: Finding[];
} {
  const findings: Finding[] = [];
  const out: ResearchMetadata = { ...metadata };
  if (metadata.creators)
    out.creators = metadata.creators.map((c, i) => creator(c, `/creators/${i}`, findings));
  if (metadata.funding)
    out.funding = metadata.funding.map((f, i) => ({
      ...f,
      funder: organization(f.funder, `/funding/${i}/funder`, findings),
    }));
  if (metadata.relatedIdentifiers)
    out.relatedIdentifiers = metadata.relatedIdentifiers.map((r, i) => ({
      ...r,
      identifier: canonicalId(
        r.identifier,
        `/relatedIdentifiers/${i}/identifier`,
        (text) => relatedIdentifier(r.scheme, text),
        findings,
      )!,
    }));
  const language = canonicalId(metadata.language, '/language', languageCode, findings);
  if (language !== undefined) out.language = language;
  const license = canonicalId(metadata.license?.id, '/license/id', spdxLicense, findings);
  if (license !== undefined) out.license = { ...metadata.license, id: license };
  return { metadata: out, findings };
}
