/**
 * Funding as RO-Crate 1.1 describes it: the Root Data Entity's `funder` refers to the project (an
 * Organization whose `identifier` is the award number and `name` the award title), which refers
 * to its funding Organization by `funder`; the root refers to that funder directly as well.
 */
import { firstText, namedEntity, type Codec, type ResearchMetadata } from './codec.ts';
import { organizationId } from './creators.ts';
import { rorOf } from './identifiers.ts';
import { isReference, type CrateDocument, type Json } from './document.ts';

type Funding = NonNullable<ResearchMetadata['funding']>[number];

function readFunder(crate: CrateDocument, value: Json): Funding['funder'] | undefined {
  const entity = namedEntity(crate, value);
  if (!entity) return undefined;
  const id = entity['@id'];
  const ror = rorOf(id) ?? crate.values(id, 'identifier').map(rorOf).find(Boolean);
  return { name: firstText(crate.values(id, 'name'))!, ...(ror ? { ror } : {}) };
}

/** The award a project entity stands for, if it names a funder of its own. */
function readAward(crate: CrateDocument, value: Json): Funding | undefined {
  const project = crate.referenced(value);
  if (!project) return undefined;
  const funder = crate
    .values(project['@id'], 'funder')
    .map((f) => readFunder(crate, f))
    .find(Boolean);
  if (!funder) return undefined;
  const awardNumber = firstText(crate.values(project['@id'], 'identifier'));
  const awardTitle = firstText(crate.values(project['@id'], 'name'));
  return {
    funder,
    ...(awardNumber ? { awardNumber } : {}),
    ...(awardTitle ? { awardTitle } : {}),
  };
}

const funderIds = (crate: CrateDocument, project: Json) =>
  crate
    .values(crate.referenced(project)!['@id'], 'funder')
    .filter(isReference)
    .map((f) => f['@id']);

/** The project entity for an award: the one already standing for it, else a new one. */
function projectId(crate: CrateDocument, award: Funding, current: Json[]): string {
  const earlier = current.find((value) => {
    const found = readAward(crate, value);
    return (
      found &&
      (award.awardNumber
        ? found.awardNumber === award.awardNumber
        : found.awardTitle === award.awardTitle)
    );
  });
  const id =
    crate.referenced(earlier ?? null)?.['@id'] ??
    crate.newId(`project ${award.awardNumber ?? award.awardTitle}`);
  if (!crate.entity(id)) crate.add({ '@id': id, '@type': 'Organization' });
  crate.setText(id, 'identifier', award.awardNumber);
  crate.setText(id, 'name', award.awardTitle);
  return id;
}

export const funding: Codec<'funding'> = {
  field: 'funding',
  properties: ['funder'],
  understands: (crate, value) =>
    readAward(crate, value) !== undefined || readFunder(crate, value) !== undefined,
  read: (crate, { funder = [] }) => {
    const awards = funder.filter((v) => readAward(crate, v) !== undefined);
    const fundersOfAwards = new Set(awards.flatMap((a) => funderIds(crate, a)));
    const found = funder.flatMap((value) => {
      const award = readAward(crate, value);
      if (award) return [award];
      const isFunderOfAward = isReference(value) && fundersOfAwards.has(value['@id']);
      return isFunderOfAward ? [] : [{ funder: readFunder(crate, value)! }];
    });
    return found.length > 0 ? found : undefined;
  },
  write: (crate, value = [], { funder: current = [] }) => ({
    funder: value.flatMap((award): Json[] => {
      const funderRef = { '@id': organizationId(crate, award.funder) };
      if (!award.awardNumber && !award.awardTitle) return [funderRef];
      const project = projectId(crate, award, current);
      crate.update(project, 'funder', [funderRef], (v) => readFunder(crate, v) !== undefined);
      return [{ '@id': project }, funderRef];
    }),
  }),
};
