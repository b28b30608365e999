/**
 * Identifiers of people and organisations as people paste them (a URL or the bare id) and as RDS
 * keeps them: the bare id. The rules are idutils' (inveniosoftware/idutils, `validators.py` and
 * `utils.py`), which InvenioRDM and so Zenodo apply, so that what RDS takes Zenodo takes too.
 */

const ORCID_URL = /^(?:https?:\/\/)?(?:www\.)?orcid\.org\//i;
const ORCID_FORM = /^(\d{4})-?(\d{4})-?(\d{4})-?(\d{3}[\dX])$/i;
/** idutils `orcid_isni_ranges`: the ISNI blocks ORCID hands out, without the check digit. */
const ORCID_RANGES: [number, number][] = [
  [15_000_000, 35_000_000],
  [900_000_000_000, 900_100_000_000],
];

/** idutils `is_isni`: the check digit of ISO 7064 MOD 11-2 over the first 15 digits. */
function isniCheckDigitHolds(digits: string): boolean {
  let total = 0;
  for (const digit of digits.slice(0, 15)) total = (total + Number(digit)) * 2;
  const check = (12 - (total % 11)) % 11;
  return (check === 10 ? 'X' : String(check)) === digits[15]!.toUpperCase();
}

export type Checked = { id: string } | { problem: string };

/** An ORCID iD in any form people paste, as `0000-0002-1825-0097`, or why it is none. */
export function orcid(text: string): Checked {
  const match = ORCID_FORM.exec(text.trim().replace(ORCID_URL, '').replace(/\/$/, ''));
  if (!match)
    return { problem: 'is not an ORCID iD: 16 digits such as 0000-0002-1825-0097, or its URL.' };
  const digits = match.slice(1).join('').toUpperCase();
  if (!isniCheckDigitHolds(digits))
    return { problem: 'is not an ORCID iD: its last digit does not match (a typing error?).' };
  const number = Number(digits.slice(0, 15));
  if (!ORCID_RANGES.some(([low, high]) => number >= low && number <= high))
    return { problem: 'is not an ORCID iD: ORCID gives out no number like it.' };
  return { id: match.slice(1).join('-').toUpperCase() };
}

/** idutils `ror_regexp`: `0`, six letters or digits, two digits; a URL or the bare id. */
const ROR = /^(?:https?:\/\/)?(?:ror\.org\/)?(0[a-z0-9]{6}\d{2})\/?$/i;

/** A ROR id in any form people paste, as `05gq02987`, or why it is none. */
export function ror(text: string): Checked {
  const match = ROR.exec(text.trim());
  return match
    ? { id: match[1]!.toLowerCase() }
    : { problem: 'is not a ROR id: such as https://ror.org/05gq02987 or 05gq02987.' };
}

export const orcidUri = (id: string) => `https://orcid.org/${id}`;
export const rorUri = (id: string) => `https://ror.org/${id}`;
