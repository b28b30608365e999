/**
 * The identifier validators InvenioRDM uses, after inveniosoftware/idutils (`idutils/validators.py`
 * and the regular expressions in `idutils/utils.py`). Python's `re.match` anchors at the start
 * only, so each expression here starts with `^`; the `$` is idutils' own. Schemes without a
 * validator in invenio-rdm-records' `config.py` (`always_valid`) take anything.
 */

const DOI = /^(doi:\s*|(?:https?:\/\/)?(?:dx\.)?doi\.org\/)?(10\.\d+(\.\d+)*\/.+)$/i;
const HANDLE = /^(hdl:\s*|(?:https?:\/\/)?hdl\.handle\.net\/)?([^/.]+(\.[^/.]+)*\/.*)$/i;
const SWH = /^swh:1:(?:snp|rel|rev|dir|cnt):[0-9a-f]{40}/i;
const ARXIV_POST_2007 = /^(arxiv:)?(\d{4})\.(\d{4,5})(v\d+)?$/i;
const ARXIV_PRE_2007 = /^(arxiv:)?([a-z-]+)(\.[a-z]{2})?(\/\d{4})(\d+)(v\d+)?$/i;
const ARXIV_POST_2007_WITH_CLASS =
  /^(arxiv:)?(?:[a-z-]+)(?:\.[a-z]{2})?\/(\d{4})\.(\d{4,5})(v\d+)?$/i;
const ADS = /^(ads:|ADS:)?(\d{4}[A-Za-z]\S{13}[A-Za-z.:])$/;
const PMID = /^(pmid:|https?:\/\/pubmed.ncbi.nlm.nih.gov\/)?(\d+)\/?$/i;
const ARK_SUFFIX = /^ark:\/?[0-9bcdfghjkmnpqrstvwxz]+\/.+$/;
const LSID = /^urn:lsid:[^:]+(:[^:]+){2,3}$/i;
const ROR = /^(?:https?:\/\/)?(?:ror\.org\/)?(0\w{6}\d{2})$/i;
const GND =
  /^(gnd:|GND:|https?:\/\/d-nb\.info\/gnd\/|d-nb\.info\/gnd\/)?(1[012]?\d{7}[0-9X]|[47]\d{6}-\d|[1-9]\d{0,7}-[0-9X]|3\d{7}[0-9X])$/;
const ORCID_URLS = ['http://orcid.org/', 'https://orcid.org/'];
/** ORCID's blocks of the ISNI number space (idutils `orcid_isni_ranges`). */
const ORCID_ISNI_RANGES: [number, number][] = [
  [15_000_000, 35_000_000],
  [900_000_000_000, 900_100_000_000],
];

const compact = (value: string) => value.replace(/[- ]/g, '').toUpperCase();
const digitOrX = (c: string) => (c === 'X' ? 10 : /^\d$/.test(c) ? Number(c) : NaN);

/** Python's `urllib.parse.urlparse`, as far as idutils looks: scheme, netloc, path. */
function urlparse(value: string): { scheme: string; netloc: string; path: string } {
  const match = /^(?:([A-Za-z][A-Za-z0-9+.-]*):)?(?:\/\/([^/?#]*))?([^?#]*)/.exec(value)!;
  return { scheme: (match[1] ?? '').toLowerCase(), netloc: match[2] ?? '', path: match[3] ?? '' };
}

export function isIsni(value: string): boolean {
  const v = compact(value);
  if (v.length !== 16 || !/^\d{15}[\dX]$/.test(v)) return false;
  let total = 0;
  for (const c of v.slice(0, 15)) total = (total + Number(c)) * 2;
  return (12 - (total % 11)) % 11 === digitOrX(v[15]!);
}

export function isOrcid(value: string): boolean {
  let v = value;
  const url = ORCID_URLS.find((prefix) => v.startsWith(prefix));
  if (url) v = v.slice(url.length);
  v = v.replace(/[- ]/g, '');
  if (!isIsni(v)) return false;
  const number = Number(v.slice(0, 15));
  return ORCID_ISNI_RANGES.some(([start, end]) => start <= number && number <= end);
}

function isEan13(value: string): boolean {
  if (!/^\d{13}$/.test(value)) return false;
  const sum = [...value.slice(0, 12)].reduce((s, c, i) => s + Number(c) * (i % 2 ? 3 : 1), 0);
  return (10 - (sum % 10)) % 10 === Number(value[12]);
}

/** isbnlib's `is_isbn10` / `is_isbn13`: hyphens and spaces removed, then the check digit. */
function isIsbn10(value: string): boolean {
  const v = compact(value);
  if (!/^\d{9}[\dX]$/.test(v)) return false;
  const sum = [...v].reduce((s, c, i) => s + digitOrX(c) * (10 - i), 0);
  return sum % 11 === 0;
}

function isIsbn13(value: string): boolean {
  const v = compact(value);
  return /^97[89]\d{10}$/.test(v) && isEan13(v);
}

export function isIsbn(value: string): boolean {
  return (isIsbn10(value) || isIsbn13(value)) && (/^97[89]/.test(value) || !isEan13(value));
}

export function isIssn(value: string): boolean {
  const v = compact(value);
  if (v.length !== 8) return false;
  const digits = [...v].map(digitOrX);
  if (digits.some(Number.isNaN)) return false;
  return digits.reduce((s, d, i) => s + (8 - i) * d, 0) % 11 === 0;
}

export const isDoi = (value: string) => DOI.test(value);
export const isHandle = (value: string) => HANDLE.test(value) && !SWH.test(value);
export const isUrl = (value: string) => {
  const { scheme, netloc } = urlparse(value);
  return Boolean(scheme && netloc);
};
export const isUrn = (value: string) => {
  const { scheme, netloc, path } = urlparse(value);
  return scheme === 'urn' && netloc === '' && path !== '';
};
export const isArxiv = (value: string) =>
  ARXIV_POST_2007.test(value) ||
  ARXIV_POST_2007_WITH_CLASS.test(value) ||
  ARXIV_PRE_2007.test(value);
export const isPmid = (value: string) => PMID.test(value);
export const isAds = (value: string) => ADS.test(value.normalize('NFKD'));
export const isArk = (value: string) => {
  const { scheme, netloc, path } = urlparse(value);
  return (
    ARK_SUFFIX.test(value) || (scheme === 'http' && netloc !== '' && ARK_SUFFIX.test(path.slice(1)))
  );
};
export const isLsid = (value: string) => isUrn(value) && LSID.test(value);
export const isPurl = (value: string) => {
  const { scheme, netloc, path } = urlparse(value);
  return (
    ['http', 'https'].includes(scheme) &&
    ['purl.org', 'purl.oclc.org', 'purl.net', 'purl.com', 'purl.fdlp.gov'].includes(netloc) &&
    path !== ''
  );
};
export const isRor = (value: string) => ROR.test(value);
export const isGnd = (value: string) => GND.test(value);

const always = () => true;

/**
 * invenio-rdm-records `config.py` RDM_RECORDS_IDENTIFIERS_SCHEMES (= the related identifiers'
 * schemes): label and validator. Schemes whose idutils validator the fake does not carry
 * (cstr, istc, rrid, wikidata) take any value here.
 */
export const RELATED_SCHEMES: Record<string, { label: string; valid: (v: string) => boolean }> = {
  ark: { label: 'ARK', valid: isArk },
  arxiv: { label: 'arXiv', valid: isArxiv },
  ads: { label: 'Bibcode', valid: isAds },
  crossreffunderid: { label: 'Crossref Funder ID', valid: always },
  cstr: { label: 'CSTR', valid: always },
  doi: { label: 'DOI', valid: isDoi },
  ean13: { label: 'EAN13', valid: isEan13 },
  eissn: { label: 'EISSN', valid: isIssn },
  grid: { label: 'GRID', valid: always },
  handle: { label: 'Handle', valid: isHandle },
  igsn: { label: 'IGSN', valid: always },
  isbn: { label: 'ISBN', valid: isIsbn },
  isni: { label: 'ISNI', valid: isIsni },
  issn: { label: 'ISSN', valid: isIssn },
  istc: { label: 'ISTC', valid: always },
  lissn: { label: 'LISSN', valid: isIssn },
  lsid: { label: 'LSID', valid: isLsid },
  pmid: { label: 'PMID', valid: isPmid },
  purl: { label: 'PURL', valid: isPurl },
  rrid: { label: 'RRID', valid: always },
  upc: { label: 'UPC', valid: always },
  url: { label: 'URL', valid: isUrl },
  urn: { label: 'URN', valid: isUrn },
  wikidata: { label: 'Wikidata', valid: always },
  w3id: { label: 'W3ID', valid: always },
  other: { label: 'Other', valid: always },
};

/**
 * RDM_RECORDS_PERSONORG_SCHEMES (invenio-rdm-records `config.py`), with Zenodo's `edmo`
 * (zenodo-rdm `invenio.cfg`, `site/zenodo_rdm/custom_schemes.py` is_edmo).
 */
export const PERSONORG_SCHEMES: Record<string, { label: string; valid: (v: string) => boolean }> = {
  orcid: { label: 'ORCID', valid: isOrcid },
  isni: { label: 'ISNI', valid: isIsni },
  gnd: { label: 'GND', valid: isGnd },
  ror: { label: 'ROR', valid: isRor },
  edmo: {
    label: 'EDMO',
    valid: (v) =>
      /^(?:https?:\/\/)?(?:edmo\.seadatanet\.org\/report\/)?(\d+)$/i.test(v) ||
      /^edmo:(\d+)$/.test(v),
  },
};
