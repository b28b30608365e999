/**
 * The checks InvenioRDM makes of related identifiers (with the Python library idutils), for the
 * schemes RDS's metadata has: what passes here, InvenioRDM takes. ISBNs and ISSNs carry check
 * digits. (ORCID iDs are checked by @rds/metadata-model, for every target.)
 */

const compact = (value: string) => value.replace(/[- ]/g, '').toUpperCase();
const checkValue = (c: string) => (c === 'X' ? 10 : Number(c));

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
