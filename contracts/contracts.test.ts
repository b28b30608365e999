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

  // The resolver fastify-openapi-glue validates with (@seriousme/openapi-schema-validator's
  // resolveRefs) turns a $ref to a schema that is itself `{$ref, description}` into the
  // description alone, which validates nothing: metadata's Source went unchecked that way.
  test('no $ref points at a schema that is a $ref with siblings (use allOf)', async () => {
    const document = await loadContract(CONTRACTS_ROOT + contract);
    expect(refsToRefsWithSiblings(document)).toEqual([]);
  });

  test('its generated types are current (run `npm run contracts:generate`)', async () => {
    const committed = readFileSync(generatedFile(contract), 'utf8');
    expect(committed).toBe(await generatedTypes(contract));
  });
});

/** Every local `$ref` in `document` whose target is a `$ref` with other keys beside it. */
function refsToRefsWithSiblings(document: object): string[] {
  const found = new Set<string>();
  const resolve = (pointer: string): unknown =>
    pointer
      .slice(2)
      .split('/')
      .map((part) => part.replaceAll('~1', '/').replaceAll('~0', '~'))
      .reduce<unknown>(
        (node, key) => (node as Record<string, unknown> | undefined)?.[key],
        document,
      );
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (typeof node !== 'object' || node === null) return;
    const ref = (node as { $ref?: unknown }).$ref;
    if (typeof ref === 'string' && ref.startsWith('#/')) {
      const target = resolve(ref);
      if (typeof target === 'object' && target !== null && '$ref' in target) {
        if (Object.keys(target).length > 1) found.add(ref);
      }
    }
    Object.values(node).forEach(visit);
  };
  visit(document);
  return [...found];
}
