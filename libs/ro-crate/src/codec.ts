import type { components } from '@rds/contracts/generated/metadata';
import type { CrateDocument, Entity, Json } from './document.ts';

export type ResearchMetadata = components['schemas']['ResearchMetadata'];
export type Creator = components['schemas']['Creator'];
export type Field = keyof ResearchMetadata;

/**
 * How one field of the metadata lives in the properties of a crate's Root Data Entity. The values
 * of those properties the codec understands make the field; RDS replaces them when the field
 * changes and leaves every other value where it is.
 */
export interface Codec<F extends Field = Field> {
  field: F;
  properties: readonly string[];
  understands: (crate: CrateDocument, value: Json, property: string) => boolean;
  /** The field, from the understood values of each property; undefined when none says it. */
  read: (crate: CrateDocument, values: Record<string, Json[]>) => ResearchMetadata[F] | undefined;
  /** The values each property gets; adds and updates the entities they refer to. */
  write: (
    crate: CrateDocument,
    value: ResearchMetadata[F] | undefined,
    current: Record<string, Json[]>,
  ) => Record<string, Json[]>;
  /** The field with the defaults filled in that a crate cannot tell apart from their absence. */
  canonical?: (value: ResearchMetadata[F] | undefined) => ResearchMetadata[F] | undefined;
}

/** Text that fits a field: trimmed, not empty, not longer than `max`. */
export function text(value: Json | undefined, max = Infinity): string | undefined {
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  return trimmed.length > 0 && trimmed.length <= max ? trimmed : undefined;
}

export function firstText(values: Json[], max?: number): string | undefined {
  for (const value of values) {
    const found = text(value, max);
    if (found !== undefined) return found;
  }
  return undefined;
}

export const isText = (value: Json) => typeof value === 'string';

/** The entity a value refers to when that entity has a name. */
export function namedEntity(crate: CrateDocument, value: Json): Entity | undefined {
  const entity = crate.referenced(value);
  return entity && firstText(crate.values(entity['@id'], 'name')) !== undefined
    ? entity
    : undefined;
}
