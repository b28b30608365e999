import { isDeepStrictEqual } from 'node:util';
import { ProblemError } from '@rds/kit';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type Entity = { '@id': string } & { [property: string]: Json };
export type Reference = { '@id': string };

export const isReference = (value: Json): value is Reference =>
  typeof value === 'object' &&
  value !== null &&
  !Array.isArray(value) &&
  typeof value['@id'] === 'string';

export const invalidCrate = (detail: string) =>
  new ProblemError(422, { detail, messageKey: 'rocrate.invalid' });

const RO_CRATE_1_1 = {
  '@context': 'https://w3id.org/ro/crate/1.1/context',
  '@graph': [
    {
      '@id': 'ro-crate-metadata.json',
      '@type': 'CreativeWork',
      conformsTo: { '@id': 'https://w3id.org/ro/crate/1.1' },
      about: { '@id': './' },
    },
    { '@id': './', '@type': 'Dataset' },
  ],
};

/**
 * An RO-Crate metadata document, to read and to edit in place. Edits are made to the document as
 * it was read, not through the ro-crate library: that library normalises what it loads (JSON-LD
 * value objects and nested objects become references to entities that do not exist, repeated
 * values collapse), and every entity and property RDS does not understand must leave exactly as
 * it came. (The library is also GPL-licensed; RDS uses it in tests only.)
 */
export class CrateDocument {
  readonly rootId: string;
  private readonly document: { '@graph': Entity[] } & Record<string, Json>;
  private readonly entities = new Map<string, Entity>();
  /** Entities RDS took a reference to away from; removed at the end if nothing refers to them. */
  private readonly unlinked = new Set<string>();

  private constructor(document: { '@graph': Entity[] } & Record<string, Json>) {
    const rootId = rootIdOf(document['@graph']);
    this.document = document;
    for (const entity of document['@graph']) this.entities.set(entity['@id'], entity);
    if (!rootId || !this.entities.has(rootId))
      throw invalidCrate('The RO-Crate has no Root Data Entity.');
    this.rootId = rootId;
  }

  /** Takes a copy of `json`, which must be an RO-Crate metadata document. */
  static parse(json: unknown): CrateDocument {
    const graph = (json as { '@graph'?: unknown } | null)?.['@graph'];
    if (
      typeof json !== 'object' ||
      !Array.isArray(graph) ||
      !graph.every((e) => typeof e === 'object' && e !== null && typeof e['@id'] === 'string')
    ) {
      throw invalidCrate('An RO-Crate is a JSON-LD object whose @graph lists entities with @ids.');
    }
    return new CrateDocument(structuredClone(json) as CrateDocument['document']);
  }

  /** A new, empty RO-Crate 1.1: the descriptor and a Root Data Entity. */
  static empty(): CrateDocument {
    return CrateDocument.parse(RO_CRATE_1_1);
  }

  entity(id: string): Entity | undefined {
    return this.entities.get(id);
  }

  /** The entity a value refers to, if it is a reference to one in this crate. */
  referenced(value: Json): Entity | undefined {
    return isReference(value) ? this.entities.get(value['@id']) : undefined;
  }

  /** The values of a property, always as a list. */
  values(id: string, property: string): Json[] {
    const value = this.entities.get(id)?.[property];
    return value === undefined ? [] : Array.isArray(value) ? value : [value];
  }

  types(id: string): string[] {
    return this.values(id, '@type').filter((t): t is string => typeof t === 'string');
  }

  find(predicate: (entity: Entity) => boolean): Entity | undefined {
    return this.document['@graph'].find(predicate);
  }

  /**
   * Replaces the values of a property that `understood` accepts by `values`, keeping all others
   * where they were. A single value stays single unless the property was a list already.
   */
  update(id: string, property: string, values: Json[], understood: (value: Json) => boolean): void {
    const entity = this.entities.get(id);
    if (!entity) throw new Error(`no entity ${id}`);
    const before = this.values(id, property);
    const after: Json[] = before.filter((v) => !understood(v));
    for (const value of values)
      if (!after.some((v) => isDeepStrictEqual(v, value))) after.push(value);
    for (const value of before) {
      if (isReference(value) && !after.some((v) => isReference(v) && v['@id'] === value['@id']))
        this.unlinked.add(value['@id']);
    }
    if (after.length === 0) delete entity[property];
    else
      entity[property] = after.length === 1 && !Array.isArray(entity[property]) ? after[0]! : after;
  }

  /** Sets the text of a property, or removes it; values that are not text stay. */
  setText(id: string, property: string, text: string | undefined): void {
    this.update(id, property, text === undefined ? [] : [text], (v) => typeof v === 'string');
  }

  add(entity: Entity): void {
    this.document['@graph'].push(entity);
    this.entities.set(entity['@id'], entity);
  }

  /** A fresh local identifier (`#name`, `#name-2`, …) made from a name. */
  newId(name: string): string {
    const slug =
      name
        .toLowerCase()
        .replace(/[^\p{L}\p{N}]+/gu, '-')
        .replace(/^-|-$/g, '') || 'entity';
    let id = `#${slug}`;
    for (let n = 2; this.entities.has(id); n++) id = `#${slug}-${n}`;
    return id;
  }

  /**
   * Removes the entities RDS unlinked that nothing refers to any more, until none is left: a
   * project removed may leave its funder, which RDS unlinked too, without references.
   */
  removeUnreferenced(): void {
    const graph = this.document['@graph'];
    for (;;) {
      const referenced = new Set<string>();
      const collect = (value: Json): void => {
        if (Array.isArray(value)) value.forEach(collect);
        else if (typeof value === 'object' && value !== null) {
          if (isReference(value)) referenced.add(value['@id']);
          Object.entries(value).forEach(([key, v]) => key !== '@id' && collect(v));
        }
      };
      graph.forEach((entity) =>
        Object.entries(entity).forEach(([k, v]) => k !== '@id' && collect(v)),
      );
      const orphans = [...this.unlinked].filter(
        (id) => !referenced.has(id) && !this.isDataEntity(id),
      );
      if (orphans.length === 0) break;
      for (const id of orphans) {
        this.unlinked.delete(id);
        this.entities.delete(id);
      }
      graph.splice(0, graph.length, ...graph.filter((e) => this.entities.has(e['@id'])));
    }
    this.unlinked.clear();
  }

  /** Files and folders of the crate (the root among them): RDS never removes one. */
  private isDataEntity(id: string): boolean {
    return this.types(id).some((t) => t === 'File' || t === 'Dataset');
  }

  toJSON(): Record<string, Json> {
    return this.document;
  }
}

/**
 * The Root Data Entity as RO-Crate 1.1 finds it: the entity the metadata descriptor
 * (`ro-crate-metadata.json`, or one conforming to the RO-Crate specification) is `about`.
 */
function rootIdOf(graph: Entity[]): string | undefined {
  const conforms = (entity: Entity) =>
    [entity.conformsTo]
      .flat()
      .some(
        (c) =>
          typeof c === 'object' &&
          c !== null &&
          String((c as Entity)['@id']).startsWith('https://w3id.org/ro/crate/'),
      );
  const descriptor =
    graph.find(
      (e) => e['@id'] === 'ro-crate-metadata.json' || e['@id'] === 'ro-crate-metadata.jsonld',
    ) ?? graph.find(conforms);
  const about = descriptor?.about;
  return typeof about === 'object' && about !== null && !Array.isArray(about)
    ? (about as Entity)['@id']
    : undefined;
}
