/**
 * What makes a crate a valid RO-Crate 1.2 as RDS publishes one (RO-Crate 1.2, "Root Data
 * Entity" and "Data Entities"): the 1.2 context, a descriptor conforming to 1.2 about the root,
 * a root Dataset with a name, a day of publication and a licence, every file under the `@id` of
 * ids.ts and in a `hasPart` exactly once, and no entity that nothing leads to.
 */
import { fileId, keyOf } from './ids.ts';
import {
  CrateDocument,
  isReference,
  RO_CRATE_CONTEXT,
  RO_CRATE_SPECIFICATION,
  type Json,
} from './document.ts';

const DAY = /^\d{4}-\d{2}-\d{2}/;

function rootProblems(crate: CrateDocument): string[] {
  const root = crate.rootId;
  const problems: string[] = [];
  if (![crate.context()].flat().includes(RO_CRATE_CONTEXT))
    problems.push(`@context does not name ${RO_CRATE_CONTEXT}`);
  const conforms = crate.values(crate.descriptorId(), 'conformsTo');
  if (!conforms.some((c) => isReference(c) && c['@id'] === RO_CRATE_SPECIFICATION))
    problems.push(`the descriptor does not conform to ${RO_CRATE_SPECIFICATION}`);
  if (!crate.types(root).includes('Dataset')) problems.push('the root is not a Dataset');
  if (crate.values(root, 'name').length === 0) problems.push('the root has no name');
  const published = crate.values(root, 'datePublished');
  if (published.length !== 1 || typeof published[0] !== 'string' || !DAY.test(published[0]))
    problems.push('the root has no single datePublished of at least a day');
  if (crate.values(root, 'license').length === 0) problems.push('the root has no license');
  return problems;
}

function partProblems(crate: CrateDocument): string[] {
  const problems: string[] = [];
  const listed = new Map<string, number>();
  for (const entity of crate.all())
    for (const part of crate.values(entity['@id'], 'hasPart'))
      if (isReference(part)) listed.set(part['@id'], (listed.get(part['@id']) ?? 0) + 1);
  for (const entity of crate.all()) {
    const id = entity['@id'];
    const key = keyOf(id);
    if (!crate.types(id).includes('File') || key === undefined) continue;
    if (fileId(key) !== id) problems.push(`the file ${id} is not named ${fileId(key)}`);
    if (listed.get(id) !== 1)
      problems.push(`the file ${id} is in hasPart ${listed.get(id) ?? 0} times`);
  }
  return problems;
}

function unreachable(crate: CrateDocument): string[] {
  const before = crate.all().map((e) => e['@id']);
  const copy = CrateDocument.parse(crate.toJSON());
  copy.removeUnreachable();
  const kept = new Set(copy.all().map((e) => e['@id']));
  return before.filter((id) => !kept.has(id)).map((id) => `nothing leads to ${id}`);
}

/** What keeps the document from being a valid RO-Crate 1.2 record; empty when it is one. */
export function roCrateProblems(json: Json | Record<string, Json>): string[] {
  const crate = CrateDocument.parse(json);
  const seen = new Set<string>();
  const duplicates: string[] = [];
  for (const { '@id': id } of crate.all()) {
    if (seen.has(id)) duplicates.push(`${id} twice`);
    seen.add(id);
  }
  return [...duplicates, ...rootProblems(crate), ...partProblems(crate), ...unreachable(crate)];
}
