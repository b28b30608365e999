import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { Validator } from '@seriousme/openapi-schema-validator';
import { loadContract, operations } from '@rds/kit';
import { allContracts, CONTRACTS_ROOT } from './index.ts';
import { generatedFile, generatedTypes } from './generate.ts';

describe.each(allContracts())('%s', (contract) => {
  test('is a valid OpenAPI 3.1 document, with the shared components bundled in', async () => {
    const document = await loadContract(CONTRACTS_ROOT + contract);
    const result = await new Validator().validate(document as never);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(document.openapi).toMatch(/^3\.1\./);
  });

  test('names every operation', async () => {
    const document = await loadContract(CONTRACTS_ROOT + contract);
    expect(() => operations(document)).not.toThrow();
  });

  test('its generated types are current (run `npm run contracts:generate`)', async () => {
    const committed = readFileSync(generatedFile(contract), 'utf8');
    expect(committed).toBe(await generatedTypes(contract));
  });
});
