import { expect, test } from 'vitest';
import { canonicalMetadata, LANGUAGES, modelFindings, SPDX_LICENSE_IDS } from '../src/index.ts';

test('ORCID iDs and ROR ids are taken as URLs or bare and kept bare', () => {
  const { metadata, findings } = canonicalMetadata({
    creators: [
      {
        name: 'Carberry, Josiah',
        orcid: 'https://orcid.org/0000-0002-1825-0097',
        affiliations: [{ name: 'Brown University', ror: 'https://ror.org/05GQ02987' }],
      },
      { name: 'Lovelace, Ada', orcid: '000000021694233x' },
    ],
    funding: [{ funder: { name: 'DFG', ror: 'ror.org/018mejw64/' } }],
  });
  expect(findings).toEqual([]);
  expect(metadata.creators?.[0]?.orcid).toBe('0000-0002-1825-0097');
  expect(metadata.creators?.[0]?.affiliations?.[0]?.ror).toBe('05gq02987');
  expect(metadata.creators?.[1]?.orcid).toBe('0000-0002-1694-233X');
  expect(metadata.funding?.[0]?.funder.ror).toBe('018mejw64');
});

test("an ORCID iD failing idutils' check digit or ORCID's ranges is named at its field", () => {
  const findings = modelFindings({
    creators: [
      { name: 'A', orcid: '0000-0002-1825-0098' },
      { name: 'B', orcid: '0000-0000-0000-0001' },
      { name: 'C', orcid: 'https://orcid.org/0000-0002-1825-0097' },
    ],
  });
  expect(findings.map((f) => f.field)).toEqual(['/creators/0/orcid', '/creators/1/orcid']);
  expect(findings[0]!.detail).toMatch(/last digit/);
  expect(findings[1]!.detail).toMatch(/ORCID gives out no number like it/);
});

test('languages are ISO 639-3 codes: a two-letter code becomes its ISO 639-3 code, a name is refused', () => {
  expect(canonicalMetadata({ language: 'EN' }).metadata.language).toBe('eng');
  expect(canonicalMetadata({ language: 'deu' }).metadata.language).toBe('deu');
  expect(modelFindings({ language: 'English' })).toEqual([
    { field: '/language', detail: expect.stringMatching(/not an ISO 639-3 language code/) },
  ]);
  expect(modelFindings({ language: 'xqx' }).map((f) => f.field)).toEqual(['/language']);
});

test('licences are SPDX ids, spelt as SPDX does; a withdrawn id names its successors', () => {
  expect(canonicalMetadata({ license: { id: 'cc-by-4.0' } }).metadata.license).toEqual({
    id: 'CC-BY-4.0',
  });
  const [withdrawn] = modelFindings({ license: { id: 'GPL-3.0' } });
  expect(withdrawn).toEqual({
    field: '/license/id',
    detail: expect.stringContaining('GPL-3.0-only or GPL-3.0-or-later'),
  });
  expect(modelFindings({ license: { id: 'my own licence' } }).map((f) => f.field)).toEqual([
    '/license/id',
  ]);
});

test('names of only spaces and a description under 3 characters are named at their fields', () => {
  const findings = modelFindings({
    title: 'Ocean temperatures',
    description: ' ok ',
    creators: [{ name: '   ', affiliations: [{ name: ' ' }] }],
    keywords: ['ocean', '  '],
  });
  expect(findings.map((f) => f.field)).toEqual([
    '/creators/0/name',
    '/creators/0/affiliations/0/name',
    '/keywords/1',
    '/description',
  ]);
});

test('the vocabularies a picker offers are the packages’ lists', () => {
  expect(SPDX_LICENSE_IDS).toContain('CC-BY-4.0');
  expect(SPDX_LICENSE_IDS).not.toContain('GPL-3.0');
  expect(LANGUAGES).toContainEqual({ code: 'deu', name: 'German' });
  expect(LANGUAGES.length).toBeGreaterThan(7000);
});

test('related identifiers are checked per scheme as idutils does, and kept in their bare form', () => {
  const { metadata, findings } = canonicalMetadata({
    relatedIdentifiers: [
      { identifier: 'https://doi.org/10.5281/zenodo.1234', scheme: 'doi', relationType: 'Cites' },
      { identifier: 'doi:10.1234/abc', scheme: 'doi', relationType: 'Cites' },
      { identifier: '978-3-16-148410-0', scheme: 'isbn', relationType: 'IsPartOf' },
      { identifier: '2049-3630', scheme: 'issn', relationType: 'IsPartOf' },
      { identifier: 'zenodo 1234', scheme: 'doi', relationType: 'Cites' },
      { identifier: '978-3-16-148410-1', scheme: 'isbn', relationType: 'IsPartOf' },
      { identifier: 'example.org', scheme: 'url', relationType: 'References' },
    ],
  });
  expect(metadata.relatedIdentifiers!.slice(0, 4).map((r) => r.identifier)).toEqual([
    '10.5281/zenodo.1234',
    '10.1234/abc',
    '978-3-16-148410-0',
    '2049-3630',
  ]);
  expect(findings.map((f) => f.field)).toEqual([
    '/relatedIdentifiers/4/identifier',
    '/relatedIdentifiers/5/identifier',
    '/relatedIdentifiers/6/identifier',
  ]);
});
