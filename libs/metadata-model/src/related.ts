/**
 * Identifiers of related works, checked and made canonical per scheme as idutils does
 * (inveniosoftware/idutils `utils.py` regexps and `validators.py`): InvenioRDM refuses a related
 * identifier its scheme does not take, so RDS names it before an export does.
 */
import { orcid, type Checked } from './identifiers.ts';

const DOI = /^(?:doi:\s*|(?:https?:\/\/)?(?:dx\.)?doi\.org\/)?(10\.\d+(?:\.\d+)*\/.+)$/i;
const HANDLE = /^(?:hdl:\s*|(?:https?:\/\/)?hdl\.handle\.net\/)?([^/.]+(?:\.[^/.]+)*\/.*)$/i;
const PMID = /^(?:pmid:|https?:\/\/pubmed\.ncbi\.nlm\.nih\.gov\/)?(\d+)\/?$/i;
const ARXIV = [
  /^(?:arxiv:)?\d{4}\.\d{4,5}(?:v\d+)?$/i,
  /^(?:arxiv:)?[a-z-]+(?:\.[a-z]{2})?\/\d{4}\d+(?:v\d+)?$/i,
  /^(?:arxiv:)?[a-z-]+(?:\.[a-z]{2})?\/\d{4}\.\d{4,5}(?:v\d+)?$/i,
];

const digitsOf = (text: string) => text.replace(/[-\s]/g, '').toUpperCase();
const value = (c: string) => (c === 'X' ? 10 : Number(c));

/** isbnlib `is_isbn10` and `is_isbn13` (an ISBN-13 starts 978 or 979, as idutils requires). */
function isIsbn(text: string): boolean {
  const isbn = digitsOf(text);
  if (/^\d{9}[\dX]$/.test(isbn))
    return [...isbn].reduce((sum, c, i) => sum + (10 - i) * value(c), 0) % 11 === 0;
  if (!/^97[89]\d{10}$/.test(isbn)) return false;
  const sum = [...isbn].reduce((s, c, i) => s + Number(c) * (i % 2 === 0 ? 1 : 3), 0);
  return sum % 10 === 0;
}

/** idutils `is_issn`: eight characters whose weighted sum is a multiple of 11. */
function isIssn(text: string): boolean {
  const issn = digitsOf(text);
  return (
    /^\d{7}[\dX]$/.test(issn) &&
    [...issn].reduce((sum, c, i) => sum + (8 - i) * value(c), 0) % 11 === 0
  );
}

/** idutils `is_url`: a scheme and a host. */
function isUrl(text: string): boolean {
  try {
    return new URL(text).host !== '';
  } catch {
    return false;
  }
}

const taken = (ok: boolean, text: string, problem: string): Checked =>
  ok ? { id: text } : { problem };

/** The identifier of a related work in its scheme's canonical form, or why it is none of it. */
export function relatedIdentifier(scheme: string, text: string): Checked {
  const trimmed = text.trim();
  const match = (pattern: RegExp, problem: string): Checked => {
    const found = pattern.exec(trimmed);
    return found ? { id: found[1]! } : { problem };
  };
  switch (scheme) {
    case 'doi':
      return match(DOI, 'is not a DOI, such as 10.5281/zenodo.1234 or its https://doi.org/ URL.');
    case 'handle':
      return match(
        HANDLE,
        'is not a Handle, such as 11304/abc or its https://hdl.handle.net/ URL.',
      );
    case 'pmid':
      return match(
        PMID,
        'is not a PubMed id: digits, or its https://pubmed.ncbi.nlm.nih.gov/ URL.',
      );
    case 'orcid':
      return orcid(trimmed);
    case 'arxiv':
      return taken(
        ARXIV.some((p) => p.test(trimmed)),
        trimmed,
        'is not an arXiv id, such as 2101.00001.',
      );
    case 'isbn':
      return taken(isIsbn(trimmed), trimmed, 'is not an ISBN: its check digit does not match.');
    case 'issn':
      return taken(isIssn(trimmed), trimmed, 'is not an ISSN: its check digit does not match.');
    case 'url':
      return taken(isUrl(trimmed), trimmed, 'is not a URL, such as https://example.org/data.');
    case 'urn':
      return taken(
        /^urn:[^:\s]+:\S+$/i.test(trimmed),
        trimmed,
        'is not a URN, such as urn:nbn:de:123.',
      );
    default:
      return { id: trimmed };
  }
}
