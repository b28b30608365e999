/**
 * The identifier checks InvenioRDM makes (it uses the Python library idutils), for the schemes
 * RDS's metadata has: what passes here, InvenioRDM takes. ISBN, ISSN and ORCID carry check digits;
 * ORCID iDs are also numbers from ORCID's own blocks of the ISNI range.
 */

/** ORCID's blocks of ISNI numbers (the first 15 digits): 0000-0000-1500-000x to 0000-0000-3500-000x, 0009-0000-0000-000x to 0009-0010-0000-000x. */
const ORCID_BLOCKS: [number, number][] = [
  [15_000_000, 35_000_000],
  [900_000_000_000, 900_100_000_000],
];

const compact = (value: string) => value.replace(/[- ]/g, '').toUpperCase();
const checkValue = (c: string) => (c === 'X' ? 10 : Number(c));

/** ISO 7064 MOD 11-2, as ISNI and ORCID use it. */
function mod11_2(digits: string): boolean {
  if (!/^\d{15}[\dX]$/.test(digits)) return false;
  let total = 0;
  for (const digit of digits.slice(0, 15)) total = (total + Number(digit)) * 2;
  return (12 - (total % 11)) % 11 === checkValue(digits[15]!);
}

export type OrcidProblem = 'check digit' | 'range';

/** Why `value` is no ORCID iD, or undefined when it is one. */
export function orcidProblem(value: string): OrcidProblem | undefined {
  const digits = compact(value.replace(/^https?:\/\/orcid\.org\//, ''));
  if (!mod11_2(digits)) return 'check digit';
  const number = Number(digits.slice(0, 15));
  return ORCID_BLOCKS.some(([from, to]) => from <= number && number <= to) ? undefined : 'range';
}

function isEan13(digits: string): boolean {
  if (!/^\d{13}$/.test(digits)) return false;
  const sum = [...digits.slice(0, 12)].reduce((s, d, i) => s + Number(d) * (i % 2 ? 3 : 1), 0);
  return (10 - (sum % 10)) % 10 === Number(digits[12]);
}

function isIsbn(value: string): boolean {
  const digits = compact(value);
  if (/^\d{9}[\dX]$/.test(digits)) {
    const sum = [...digits].reduce((s, c, i) => s + checkValue(c) * (10 - i), 0);
    // An ISBN-10 that reads as an EAN-13 too is taken for the EAN.
    return sum % 11 === 0 && (/^97[89]/.test(value) || !isEan13(value));
  }
  return /^97[89]\d{10}$/.test(digits) && isEan13(digits);
}

function isIssn(value: string): boolean {
  const digits = compact(value);
  if (!/^\d{7}[\dX]$/.test(digits)) return false;
  return [...digits].reduce((s, c, i) => s + (8 - i) * checkValue(c), 0) % 11 === 0;
}

/** A scheme and host, as a URL parser that knows no schemes finds them. */
function schemeAndHost(value: string): { scheme: string; host: string; rest: string } {
  const match = /^(?:([A-Za-z][A-Za-z0-9+.-]*):)?(?:\/\/([^/?#]*))?(.*)$/s.exec(value)!;
  return { scheme: (match[1] ?? '').toLowerCase(), host: match[2] ?? '', rest: match[3] ?? '' };
}

/** For each scheme of related identifiers: its name for people, and whether a value is one. */
export const RELATED_SCHEMES: Record<string, { name: string; valid: (value: string) => boolean }> =
  {
    doi: {
      name: 'DOI',
      valid: (v) => /^(doi:\s*|(?:https?:\/\/)?(?:dx\.)?doi\.org\/)?10\.\d+(\.\d+)*\/.+$/i.test(v),
    },
    url: {
      name: 'URL',
      valid: (v) => {
        const { scheme, host } = schemeAndHost(v);
        return Boolean(scheme && host);
      },
    },
    handle: {
      name: 'Handle',
      valid: (v) =>
        /^(hdl:\s*|(?:https?:\/\/)?hdl\.handle\.net\/)?[^/.]+(\.[^/.]+)*\/.*$/i.test(v) &&
        !/^swh:1:(snp|rel|rev|dir|cnt):[0-9a-f]{40}/i.test(v),
    },
    isbn: { name: 'ISBN', valid: isIsbn },
    issn: { name: 'ISSN', valid: isIssn },
    arxiv: {
      name: 'arXiv id',
      valid: (v) =>
        /^(arxiv:)?([a-z-]+(\.[a-z]{2})?\/)?\d{4}\.\d{4,5}(v\d+)?$/i.test(v) ||
        /^(arxiv:)?[a-z-]+(\.[a-z]{2})?\/\d{4}\d+(v\d+)?$/i.test(v),
    },
    pmid: {
      name: 'PubMed id',
      valid: (v) => /^(pmid:|https?:\/\/pubmed.ncbi.nlm.nih.gov\/)?\d+\/?$/i.test(v),
    },
    urn: {
      name: 'URN',
      valid: (v) => {
        const { scheme, host, rest } = schemeAndHost(v);
        return scheme === 'urn' && host === '' && rest !== '';
      },
    },
  };
