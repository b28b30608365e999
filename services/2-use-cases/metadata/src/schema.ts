/**
 * The canonical metadata model as a self-contained JSON Schema, taken from the contracts so that
 * there is one definition of it: `ResearchMetadata` from common.yaml, as the kit bundles it into
 * this service's contract, with the schemas it refers to under `$defs`.
 */
import { loadContract } from '@rds/kit';
import type { Json } from '@rds/ro-crate';

type JsonObject = { [key: string]: Json };
const isObject = (value: Json | undefined): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const COMPONENT = '#/components/schemas/';
const ACRONYMS: Record<string, string> = { id: 'ID', orcid: 'ORCID', ror: 'ROR', url: 'URL' };

/** `publicationDate` → `Publication date`: a title for a form, where the model gives none. */
export function humanise(name: string): string {
  const words = name
    .split(/(?<=[a-z0-9])(?=[A-Z])/)
    .map((w) => ACRONYMS[w.toLowerCase()] ?? w.toLowerCase());
  const sentence = words.join(' ');
  return sentence.charAt(0).toUpperCase() + sentence.slice(1);
}

/** Every property gets a title unless the contract gives it one. */
function withTitles(schema: Json): Json {
  if (Array.isArray(schema)) return schema.map(withTitles);
  if (!isObject(schema)) return schema;
  return Object.fromEntries(
    Object.entries(schema).map(([key, value]) => [
      key,
      key === 'properties' && isObject(value)
        ? Object.fromEntries(
            Object.entries(value).map(([name, sub]) => [
              name,
              { title: humanise(name), ...(withTitles(sub) as JsonObject) },
            ]),
          )
        : withTitles(value),
    ]),
  );
}

export async function researchMetadataSchema(contract: string): Promise<JsonObject> {
  const document = await loadContract(contract);
  const components = (document.components?.schemas ?? {}) as Record<string, Json>;
  const defs: JsonObject = {};
  const inline = (node: Json): Json => {
    if (Array.isArray(node)) return node.map(inline);
    if (!isObject(node)) return node;
    const out: JsonObject = {};
    for (const [key, value] of Object.entries(node)) {
      if (key === '$ref' && typeof value === 'string' && value.startsWith(COMPONENT)) {
        const name = value.slice(COMPONENT.length);
        if (!(name in defs)) {
          defs[name] = {};
          defs[name] = {
            title: humanise(name),
            ...(withTitles(inline(components[name]!)) as JsonObject),
          };
        }
        out.$ref = `#/$defs/${name}`;
      } else out[key] = inline(value);
    }
    return out;
  };
  const root = withTitles(inline(components.ResearchMetadata!)) as JsonObject;
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    title: humanise('ResearchMetadata'),
    ...root,
    $defs: defs,
  };
}
