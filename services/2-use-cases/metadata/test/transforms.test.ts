import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { bearer, call, startTestService, type RunningService } from '@rds/kit/testing';
import { definition } from '../src/index.ts';

type Entity = { '@id': string } & Record<string, unknown>;
type Crate = { '@context': unknown; '@graph': Entity[] };

let metadata: RunningService;
const asExporter = bearer({ issuer: 'exporter', audience: 'metadata' });
const toCrate = async (json: object): Promise<Crate> => {
  const answer = await call(`${metadata.url}/ro-crate/to-crate`, {
    method: 'POST',
    headers: asExporter,
    json,
  });
  expect(answer.status, answer.text).toBe(200);
  return answer.json<{ crate: Crate }>().crate;
};
const fromCrate = (crate: object) =>
  call(`${metadata.url}/ro-crate/from-crate`, {
    method: 'POST',
    headers: asExporter,
    json: { crate },
  });
const metadataOf = async (crate: object) => {
  const answer = await fromCrate(crate);
  expect(answer.status, answer.text).toBe(200);
  return answer.json<{ metadata: Record<string, unknown> }>().metadata;
};
const entity = (crate: Crate, id: string) => crate['@graph'].find((e) => e['@id'] === id);

beforeAll(async () => {
  // No port is called: token-storage, which says what the ports are, is never asked.
  metadata = await startTestService(definition, {
    RDS_TOKEN_STORAGE_URL: 'http://127.0.0.1:9',
  });
});
afterAll(() => metadata.close());

const FULL = {
  title: 'Ocean temperatures',
  publisher: 'Ocean Data Centre',
  description: 'Sea surface temperatures of the Pacific.',
  publicationDate: '2024-05-01',
  resourceType: 'software',
  keywords: ['ocean', 'temperature'],
  license: { id: 'CC-BY-4.0' },
  language: 'eng',
  version: '2.1',
  creators: [
    {
      name: 'Carberry, Josiah',
      givenName: 'Josiah',
      familyName: 'Carberry',
      orcid: '0000-0002-1825-0097',
      affiliations: [{ name: 'Brown University', ror: '05gq02987' }],
    },
    { name: 'Ocean Lab', nameType: 'Organizational' },
  ],
  funding: [
    {
      funder: { name: 'European Commission', ror: '00k4n6c32' },
      awardNumber: '101000123',
      awardTitle: 'Blue Oceans',
    },
    { funder: { name: 'Brown University', ror: '05gq02987' } },
  ],
  relatedIdentifiers: [
    { identifier: '10.1109/TCYB.2014.2386282', scheme: 'doi', relationType: 'Cites' },
    { identifier: 'https://example.org/collection', scheme: 'url', relationType: 'IsPartOf' },
  ],
};

describe('to-crate', () => {
  test('says every field the way RO-Crate 1.2 does, and reads back the same', async () => {
    const crate = await toCrate({ metadata: FULL });
    expect(crate['@context']).toBe('https://w3id.org/ro/crate/1.2/context');
    expect(entity(crate, 'ro-crate-metadata.json')!.conformsTo).toEqual({
      '@id': 'https://w3id.org/ro/crate/1.2',
    });
    expect(entity(crate, './')).toEqual({
      '@id': './',
      '@type': ['Dataset', 'SoftwareSourceCode'],
      name: 'Ocean temperatures',
      description: 'Sea surface temperatures of the Pacific.',
      datePublished: '2024-05-01',
      keywords: ['ocean', 'temperature'],
      license: { '@id': 'https://spdx.org/licenses/CC-BY-4.0' },
      publisher: { '@id': '#ocean-data-centre' },
      inLanguage: 'en',
      version: '2.1',
      author: [{ '@id': 'https://orcid.org/0000-0002-1825-0097' }, { '@id': '#ocean-lab' }],
      funder: [
        { '@id': '#project-101000123' },
        { '@id': 'https://ror.org/00k4n6c32' },
        { '@id': 'https://ror.org/05gq02987' },
      ],
      citation: { '@id': 'https://doi.org/10.1109/TCYB.2014.2386282' },
      isPartOf: { '@id': 'https://example.org/collection' },
    });
    expect(entity(crate, 'https://orcid.org/0000-0002-1825-0097')).toEqual({
      '@id': 'https://orcid.org/0000-0002-1825-0097',
      '@type': 'Person',
      name: 'Josiah Carberry',
      givenName: 'Josiah',
      familyName: 'Carberry',
      affiliation: { '@id': 'https://ror.org/05gq02987' },
    });
    expect(entity(crate, 'https://ror.org/05gq02987')).toEqual({
      '@id': 'https://ror.org/05gq02987',
      '@type': 'Organization',
      name: 'Brown University',
    });
    expect(entity(crate, '#ocean-lab')).toMatchObject({ '@type': 'Organization' });
    expect(entity(crate, '#ocean-data-centre')).toEqual({
      '@id': '#ocean-data-centre',
      '@type': 'Organization',
      name: 'Ocean Data Centre',
    });
    expect(entity(crate, '#project-101000123')).toEqual({
      '@id': '#project-101000123',
      '@type': 'Organization',
      identifier: '101000123',
      name: 'Blue Oceans',
      funder: { '@id': 'https://ror.org/00k4n6c32' },
    });
    expect(entity(crate, 'https://spdx.org/licenses/CC-BY-4.0')).toMatchObject({
      '@type': 'CreativeWork',
      identifier: 'CC-BY-4.0',
    });
    expect(entity(crate, 'https://doi.org/10.1109/TCYB.2014.2386282')).toMatchObject({
      '@type': 'CreativeWork',
    });
    expect(await metadataOf(crate)).toEqual(FULL);
  });

  test('relation types without a schema.org property, and the resource type other, are not said', async () => {
    const crate = await toCrate({
      metadata: {
        resourceType: 'other',
        relatedIdentifiers: [
          { identifier: '10.5281/zenodo.1', scheme: 'doi', relationType: 'IsNewVersionOf' },
        ],
      },
    });
    expect(entity(crate, './')).toEqual({ '@id': './', '@type': 'Dataset' });
    expect(await metadataOf(crate)).toEqual({ resourceType: 'dataset' });
  });

  test('unchanged fields keep their wording; values and entities RDS does not understand stay', async () => {
    const crate: Crate = {
      '@context': [
        'https://w3id.org/ro/crate/1.1/context',
        { ldac: 'https://w3id.org/ldac/terms#' },
      ],
      '@graph': [
        {
          '@id': 'ro-crate-metadata.json',
          '@type': 'CreativeWork',
          conformsTo: { '@id': 'https://w3id.org/ro/crate/1.1' },
          about: { '@id': './' },
        },
        {
          '@id': './',
          '@type': ['Dataset', 'RepositoryCollection'],
          name: 'Old title',
          keywords: 'ocean, temperature',
          datePublished: '2024-05-01T10:00:00Z',
          license: { '@id': 'https://creativecommons.org/licenses/by/4.0/' },
          inLanguage: { '@id': 'https://glottolog.org/resource/languoid/id/stan1293' },
          author: [{ '@id': '#jc' }, { '@id': '#unnamed' }],
          'ldac:subjectLanguage': [{ '@value': 'Englisch', '@language': 'de' }, 'en', 'en'],
          spatialCoverage: { '@type': 'Place', name: 'not flattened' },
        },
        { '@id': '#jc', '@type': 'Person', name: 'Josiah Carberry', email: 'j@example.org' },
        { '@id': '#unnamed', '@type': 'Person' },
        {
          '@id': 'https://creativecommons.org/licenses/by/4.0/',
          '@type': 'CreativeWork',
          name: 'CC BY 4.0',
        },
        {
          '@id': 'https://glottolog.org/resource/languoid/id/stan1293',
          '@type': 'Language',
          name: 'English',
          alternateName: 'en',
        },
      ],
    };
    const read = await metadataOf(crate);
    expect(read).toEqual({
      title: 'Old title',
      publicationDate: '2024-05-01',
      resourceType: 'dataset',
      keywords: ['ocean', 'temperature'],
      license: { id: 'CC-BY-4.0', url: 'https://creativecommons.org/licenses/by/4.0/' },
      language: 'eng',
      creators: [{ name: 'Josiah Carberry' }],
    });
    // Written by RDS, the crate is an RO-Crate 1.2; nothing else changes.
    const upgraded = structuredClone(crate);
    upgraded['@context'] = [
      'https://w3id.org/ro/crate/1.2/context',
      { ldac: 'https://w3id.org/ldac/terms#' },
    ];
    upgraded['@graph'][0]!.conformsTo = { '@id': 'https://w3id.org/ro/crate/1.2' };
    expect(await toCrate({ metadata: read, crate })).toEqual(upgraded);

    const changed = await toCrate({
      metadata: { ...read, title: 'New title', creators: [{ name: 'Ada Lovelace' }] },
      crate,
    });
    const { name, author, ...rest } = entity(changed, './')!;
    const { name: _n, author: _a, ...restBefore } = entity(crate, './')!;
    expect(name).toBe('New title');
    // The unnamed author is no creator RDS understands: it stays, after the creators RDS wrote.
    expect(author).toEqual([{ '@id': '#unnamed' }, { '@id': '#ada-lovelace' }]);
    expect(rest).toEqual(restBefore);
    expect(entity(changed, '#jc')).toBeUndefined();
    expect(
      changed['@graph'].filter((e) => !['./', '#jc', '#ada-lovelace'].includes(e['@id'])),
    ).toEqual(upgraded['@graph'].filter((e) => !['./', '#jc'].includes(e['@id'])));
  });

  test('a field taken out is taken out of the crate', async () => {
    const crate = await toCrate({ metadata: FULL });
    const { license: _l, keywords: _k, funding: _f, ...less } = FULL;
    const changed = await toCrate({ metadata: less, crate });
    const root = entity(changed, './')!;
    expect(root).not.toHaveProperty('license');
    expect(root).not.toHaveProperty('keywords');
    expect(root).not.toHaveProperty('funder');
    expect(entity(changed, 'https://spdx.org/licenses/CC-BY-4.0')).toBeUndefined();
    expect(entity(changed, '#project-101000123')).toBeUndefined();
    expect(entity(changed, 'https://ror.org/00k4n6c32')).toBeUndefined();
    // Still an affiliation of a creator.
    expect(entity(changed, 'https://ror.org/05gq02987')).toBeDefined();
    expect(await metadataOf(changed)).toEqual(less);
  });
});

test('a file of the crate is never removed, even when RDS no longer refers to it', async () => {
  const crate = {
    '@context': 'https://w3id.org/ro/crate/1.1/context',
    '@graph': [
      {
        '@id': 'ro-crate-metadata.json',
        '@type': 'CreativeWork',
        about: { '@id': './' },
      },
      { '@id': './', '@type': 'Dataset', license: { '@id': 'LICENSE.txt' } },
      { '@id': 'LICENSE.txt', '@type': 'File', name: 'Terms of use' },
    ],
  };
  expect(await metadataOf(crate)).toEqual({ resourceType: 'dataset' });
  const changed = await toCrate({ metadata: { license: { id: 'MIT' } }, crate });
  expect(entity(changed, './')!.license).toEqual({ '@id': 'https://spdx.org/licenses/MIT' });
  expect(entity(changed, 'LICENSE.txt')).toEqual(crate['@graph'][2]);
});

describe('from-crate', () => {
  test('reads the forms crates made elsewhere use', async () => {
    const read = await metadataOf({
      '@context': 'https://w3id.org/ro/crate/1.2/context',
      '@graph': [
        {
          '@id': 'ro-crate-metadata.json',
          '@type': 'CreativeWork',
          conformsTo: { '@id': 'https://w3id.org/ro/crate/1.2' },
          about: { '@id': './' },
        },
        {
          '@id': './',
          '@type': 'Dataset',
          name: '  Trimmed  ',
          datePublished: ['2017', '2023-02-30', '2023-02-28T12:00:00+01:00'],
          author: ['Grace Hopper', { '@id': '#ch' }],
          license: 'https://spdx.org/licenses/MIT.html',
          inLanguage: 'de-AT',
          version: 3,
          sameAs: 'https://hdl.handle.net/11304/abc',
        },
        {
          '@id': '#ch',
          '@type': 'Person',
          name: 'Chris H',
          identifier: 'https://orcid.org/0000-0002-1825-0097',
          affiliation: 'Uni Somewhere',
        },
      ],
    });
    expect(read).toEqual({
      title: 'Trimmed',
      publicationDate: '2023-02-28',
      resourceType: 'dataset',
      license: { id: 'MIT', url: 'https://spdx.org/licenses/MIT.html' },
      language: 'deu',
      version: '3',
      creators: [
        { name: 'Grace Hopper' },
        {
          name: 'Chris H',
          orcid: '0000-0002-1825-0097',
          affiliations: [{ name: 'Uni Somewhere' }],
        },
      ],
      relatedIdentifiers: [
        { identifier: '11304/abc', scheme: 'handle', relationType: 'IsIdenticalTo' },
      ],
    });
  });

  test('reads the publisher as text, or the name of an Organization or Person', async () => {
    const crateWith = (publisher: unknown, ...entities: object[]) => ({
      '@context': 'https://w3id.org/ro/crate/1.2/context',
      '@graph': [
        { '@id': 'ro-crate-metadata.json', '@type': 'CreativeWork', about: { '@id': './' } },
        { '@id': './', '@type': 'Dataset', publisher },
        ...entities,
      ],
    });
    expect(await metadataOf(crateWith('  Zenodo '))).toMatchObject({ publisher: 'Zenodo' });
    expect(
      await metadataOf(
        crateWith(
          { '@id': 'https://ror.org/05gq02987' },
          { '@id': 'https://ror.org/05gq02987', '@type': 'Organization', name: 'Brown University' },
        ),
      ),
    ).toMatchObject({ publisher: 'Brown University' });
    expect(
      await metadataOf(
        crateWith({ '@id': '#me' }, { '@id': '#me', '@type': 'Person', name: 'Ada Lovelace' }),
      ),
    ).toMatchObject({ publisher: 'Ada Lovelace' });
  });

  test('a document that is no RO-Crate is refused', async () => {
    for (const crate of [
      { '@context': 'https://w3id.org/ro/crate/1.1/context', '@graph': [{ '@id': './' }] },
      { '@context': 'https://w3id.org/ro/crate/1.1/context', '@graph': [] },
    ]) {
      const answer = await fromCrate(crate);
      expect(answer.status).toBe(422);
      expect(answer.json().messageKey).toBe('rocrate.invalid');
    }
  });
});
