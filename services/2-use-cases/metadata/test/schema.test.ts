import { afterAll, beforeAll, expect, test } from 'vitest';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { serviceContract } from '@rds/contracts';
import { loadContract } from '@rds/kit';
import { bearer, call, startTestService, type RunningService } from '@rds/kit/testing';
import { definition } from '../src/index.ts';

type Schema = Record<string, unknown>;

let metadata: RunningService;
let schema: Schema;

beforeAll(async () => {
  metadata = await startTestService(definition, {
    RDS_TOKEN_STORAGE_URL: 'http://127.0.0.1:9',
  });
  const answer = await call(`${metadata.url}/schema`, {
    headers: bearer({ issuer: 'web', audience: 'metadata' }),
  });
  expect(answer.status).toBe(200);
  expect(answer.headers['content-type']).toMatch(/^application\/schema\+json/);
  schema = answer.json();
});
afterAll(() => metadata.close());

function strictAjv(): Ajv2020 {
  const ajv = new Ajv2020({ strict: true, allErrors: true });
  addFormats.default(ajv);
  return ajv;
}

const GOOD = {
  title: 'Ocean temperatures',
  creators: [
    {
      name: 'Carberry, Josiah',
      nameType: 'Personal',
      givenName: 'Josiah',
      familyName: 'Carberry',
      orcid: '0000-0002-1825-0097',
      affiliations: [{ name: 'Brown University', ror: '05gq02987' }],
    },
  ],
  description: 'Sea surface temperatures.',
  publicationDate: '2024-05-01',
  resourceType: 'dataset',
  keywords: ['ocean'],
  license: { id: 'CC-BY-4.0', url: 'https://creativecommons.org/licenses/by/4.0/' },
  relatedIdentifiers: [
    { identifier: '10.5281/zenodo.1009240', scheme: 'doi', relationType: 'IsSupplementTo' },
  ],
  funding: [{ funder: { name: 'European Commission', ror: '00k4n6c32' }, awardNumber: '101000' }],
  language: 'en',
  version: '1.0',
};

test('is JSON Schema 2020-12 that compiles in strict mode, self-contained', () => {
  expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
  expect(() => strictAjv().compile(schema)).not.toThrow();
  expect(JSON.stringify(schema)).not.toContain('#/components/');
  expect(Object.keys(schema.$defs as Schema)).toEqual(['Creator', 'Ror']);
});

test('takes good metadata and refuses bad metadata, naming where', () => {
  const validate = strictAjv().compile(schema);
  expect(validate(GOOD)).toBe(true);
  expect(validate({})).toBe(true);
  // Identifiers as people paste them: the service keeping the metadata makes them canonical.
  expect(
    validate({
      creators: [
        {
          name: 'Carberry, Josiah',
          orcid: 'https://orcid.org/0000-0002-1825-0097',
          affiliations: [{ name: 'Brown University', ror: 'https://ror.org/05gq02987' }],
        },
      ],
      language: 'eng',
    }),
  ).toBe(true);
  const bad: [object, string][] = [
    [{ title: '' }, '/title'],
    [{ creators: [{ orcid: '0000-0002-1825-0097' }] }, '/creators/0'],
    [{ creators: [{ name: 'X', orcid: 'https://orcid.org/0000' }] }, '/creators/0/orcid'],
    [{ publicationDate: '1 May 2024' }, '/publicationDate'],
    [{ language: 'English' }, '/language'],
    [{ resourceType: 'spreadsheet' }, '/resourceType'],
    [{ license: { url: 'https://example.org' } }, '/license'],
    [{ colour: 'blue' }, ''],
  ];
  for (const [metadata, where] of bad) {
    expect(validate(metadata), JSON.stringify(metadata)).toBe(false);
    expect(validate.errors!.map((e) => e.instancePath)).toContain(where);
  }
});

test('gives every field a title and keeps the descriptions of the model', () => {
  const untitled: string[] = [];
  const walk = (node: unknown, path: string): void => {
    if (typeof node !== 'object' || node === null) return;
    const properties = (node as Schema).properties as Record<string, Schema> | undefined;
    for (const [name, sub] of Object.entries(properties ?? {})) {
      if (typeof sub.title !== 'string') untitled.push(`${path}/${name}`);
      walk(sub, `${path}/${name}`);
    }
    for (const [key, value] of Object.entries(node))
      if (key !== 'properties') walk(value, `${path}/${key}`);
  };
  walk(schema, '');
  expect(untitled).toEqual([]);
  const properties = schema.properties as Record<string, Schema>;
  expect(properties.publicationDate!.title).toBe('Publication date');
  expect(properties.description!.description).toBe('Plain text or limited HTML.');
  const creator = (schema.$defs as Record<string, Schema>).Creator!;
  expect((creator.properties as Record<string, Schema>).orcid!.title).toBe('ORCID');
});

test('is the contract’s ResearchMetadata, not a copy of it', async () => {
  const contract = await loadContract(serviceContract('metadata'));
  const { ResearchMetadata, Creator } = contract.components!.schemas as Record<string, unknown>;
  const untitled = (node: unknown): unknown =>
    Array.isArray(node)
      ? node.map(untitled)
      : typeof node === 'object' && node !== null
        ? Object.fromEntries(
            Object.entries(node)
              .filter(([key, value]) => !(key === 'title' && typeof value === 'string'))
              .map(([key, value]) => [
                key,
                key === '$ref'
                  ? String(value).replace('#/$defs/', '#/components/schemas/')
                  : untitled(value),
              ]),
          )
        : node;
  const { $schema: _s, $defs, ...model } = schema;
  expect(untitled(model)).toEqual(untitled(ResearchMetadata));
  expect(untitled(($defs as Schema).Creator)).toEqual(untitled(Creator));
});

test('only web and the exporter read it', async () => {
  const answer = await call(`${metadata.url}/schema`, {
    headers: bearer({ issuer: 'research-manager', audience: 'metadata' }),
  });
  expect(answer.status).toBe(403);
  expect((await call(`${metadata.url}/schema`)).status).toBe(401);
});
