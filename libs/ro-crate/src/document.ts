import { ProblemError } from '@rds/kit';
import { localId } from './ids.ts';

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

/** RO-Crate 1.2: its context defines every term RDS writes, `sha256` among them (1.1's did not). */
export const RO_CRATE_CONTEXT = 'https://w3id.org/ro/crate/1.2/context';
export const RO_CRATE_SPECIFICATION = 'https://w3id.org/ro/crate/1.2';
const ANY_RO_CRATE_CONTEXT = /^https?:\/\/w3id\.org\/ro\/crate\/[^/]+\/context$/;
const ANY_RO_CRATE_SPECIFICATION = /^https?:\/\/w3id\.org\/ro\/crate\/\d+\.\d+(?:-[A-Z0-9]+)?$/;
export const DESCRIPTOR_ID = 'ro-crate-metadata.json';

/**
 * How deep a crate's JSON may nest. Crates nest a few levels (a value object in a list in an
 * entity); a document nested thousands deep is refused before anything walks it recursively.
 */
export const MAX_DEPTH = 64;

const EMPTY_CRATE = {
  '@context': RO_CRATE_CONTEXT,
  '@graph': [
    {
      '@id': DESCRIPTOR_ID,
      '@type': 'CreativeWork',
      conformsTo: { '@id': RO_CRATE_SPECIFICATION },
      about: { '@id': './' },
    },
    { '@id': './', '@type': 'Dataset' },
  ],
};

/** Whether JSON nests deeper than `max`, found without recursion (a deep document would overflow it). */
export function nestsDeeperThan(json: unknown, max: number): boolean {
  const pending: [unknown, number][] = [[json, 0]];
  while (pending.length > 0) {
    const [value, depth] = pending.pop()!;
    if (typeof value !== 'object' || value === null) continue;
    if (depth >= max) return true;
    for (const child of Object.values(value)) pending.push([child, depth + 1]);
  }
  return false;
}

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
    if (nestsDeeperThan(json, MAX_DEPTH))
      throw invalidCrate(
        `The RO-Crate nests deeper than ${MAX_DEPTH} levels; no crate needs that.`,
      );
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

  /** A new, empty RO-Crate 1.2: the descriptor and a Root Data Entity. */
  static empty(): CrateDocument {
    return CrateDocument.parse(EMPTY_CRATE);
  }

  /**
   * Declares the crate an RO-Crate 1.2, as RDS writes it: the 1.2 context in place of an older
   * RO-Crate context (other contexts stay, after it), the descriptor conforming to 1.2 (profiles
   * it names stay).
   */
  conformToRoCrate12(): void {
    const contexts = [this.document['@context'] ?? []].flat();
    const others = contexts.filter((c) => !(typeof c === 'string' && ANY_RO_CRATE_CONTEXT.test(c)));
    this.document['@context'] =
      others.length === 0 ? RO_CRATE_CONTEXT : [RO_CRATE_CONTEXT, ...others];
    const descriptor = this.descriptorId();
    this.update(
      descriptor,
      'conformsTo',
      [{ '@id': RO_CRATE_SPECIFICATION }],
      (v) => isReference(v) && ANY_RO_CRATE_SPECIFICATION.test(v['@id']),
    );
  }

  /** The `@id` of the metadata descriptor, the entity the crate's conformance is said on. */
  descriptorId(): string {
    return this.find(
      (e) => isReference(e.about as Json) && (e.about as Reference)['@id'] === this.rootId,
    )!['@id'];
  }

  /** Every entity, in the order of the graph. */
  all(): readonly Entity[] {
    return this.document['@graph'];
  }

  /** The document's `@context`. */
  context(): Json | undefined {
    return this.document['@context'];
  }

  /**
   * Gives entities other `@id`s (`from` → `to`), every reference following; an entity's
   * properties join those of an entity already under its new `@id` (which win where both say
   * something). One pass over the graph, however many are renamed.
   */
  renameAll(renames: ReadonlyMap<string, string>): void {
    const moving = [...renames].filter(([from, to]) => from !== to && this.entities.has(from));
    if (moving.length === 0) return;
    for (const [from, to] of moving) {
      const entity = this.entities.get(from)!;
      this.entities.delete(from);
      const kept = this.entities.get(to);
      if (!kept) this.add({ ...entity, '@id': to });
      else for (const [k, v] of Object.entries(entity)) if (!(k in kept)) kept[k] = v;
    }
    this.keepGraphOf(new Set(this.entities.values()));
    this.rewriteReferences((id) => renames.get(id) ?? id);
  }

  /** Removes entities and every reference to them; what they referred to may then be unreferenced. */
  removeAll(ids: ReadonlySet<string>): void {
    for (const id of ids) {
      const entity = this.entities.get(id);
      if (!entity) continue;
      for (const value of Object.values(entity)) this.collectReferences(value, this.unlinked);
      this.entities.delete(id);
    }
    this.keepGraphOf(new Set(this.entities.values()));
    this.rewriteReferences((id) => (ids.has(id) ? undefined : id));
  }

  private keepGraphOf(kept: Set<Entity>): void {
    const graph = this.document['@graph'];
    graph.splice(0, graph.length, ...graph.filter((e) => kept.has(e)));
  }

  /** Every reference of every entity to `to(id)`, or gone where that is undefined; once each. */
  private rewriteReferences(to: (id: string) => string | undefined): void {
    for (const entity of this.document['@graph']) {
      for (const [property, value] of Object.entries(entity)) {
        if (property === '@id') continue;
        const values = Array.isArray(value) ? value : [value];
        if (!values.some((v) => isReference(v) && to(v['@id']) !== v['@id'])) continue;
        const seen = new Set<string>();
        const changed: Json[] = [];
        for (const v of values) {
          if (!isReference(v)) {
            changed.push(v);
            continue;
          }
          const id = to(v['@id']);
          if (id === undefined || seen.has(id)) continue;
          seen.add(id);
          changed.push(id === v['@id'] ? v : { ...v, '@id': id });
        }
        if (changed.length === 0) delete entity[property];
        else entity[property] = Array.isArray(value) || changed.length > 1 ? changed : changed[0]!;
      }
    }
  }

  /** The `@id`s a value refers to; with `nested`, those inside nested objects too. */
  private collectReferences(value: Json, into: Set<string>, nested = false): void {
    if (Array.isArray(value)) value.forEach((v) => this.collectReferences(v, into, nested));
    else if (typeof value === 'object' && value !== null) {
      if (isReference(value)) into.add(value['@id']);
      if (nested)
        for (const [key, v] of Object.entries(value))
          if (key !== '@id') this.collectReferences(v, into, nested);
    }
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
    // Compared as JSON text: a crate's parts list thousands of files, pairwise would be quadratic.
    const present = new Set(after.map((v) => JSON.stringify(v)));
    for (const value of values) {
      const key = JSON.stringify(value);
      if (!present.has(key)) after.push(value);
      present.add(key);
    }
    const kept = new Set(after.flatMap((v) => (isReference(v) ? [v['@id']] : [])));
    for (const value of before)
      if (isReference(value) && !kept.has(value['@id'])) this.unlinked.add(value['@id']);
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
    return localId(name, (id) => this.entities.has(id));
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

  /**
   * Removes every entity neither the descriptor nor the root leads to, however indirectly: a
   * crate published as a record describes its dataset and nothing beside it.
   */
  removeUnreachable(): void {
    const reached = new Set<string>();
    const pending = [this.descriptorId(), this.rootId];
    while (pending.length > 0) {
      const id = pending.pop()!;
      if (reached.has(id) || !this.entities.has(id)) continue;
      reached.add(id);
      const found = new Set<string>();
      for (const [property, value] of Object.entries(this.entities.get(id)!))
        if (property !== '@id') this.collectReferences(value, found, true);
      pending.push(...found);
    }
    const graph = this.document['@graph'];
    graph.splice(0, graph.length, ...graph.filter((e) => reached.has(e['@id'])));
    for (const id of [...this.entities.keys()]) if (!reached.has(id)) this.entities.delete(id);
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
    graph.find((e) => e['@id'] === DESCRIPTOR_ID || e['@id'] === 'ro-crate-metadata.jsonld') ??
    graph.find(conforms);
  const about = descriptor?.about;
  return typeof about === 'object' && about !== null && !Array.isArray(about)
    ? (about as Entity)['@id']
    : undefined;
}
