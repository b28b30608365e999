/** Fields of the metadata form by JSON Pointer: their element ids, names for people, focus. */
import type { Schema } from './SchemaForm.tsx';

/** The id of the form element for `pointer` (`/creators/0/name` → `field-creators-0-name`). */
export const fieldId = (pointer: string) => `field${pointer.replace(/[^\w]+/g, '-')}`;

export function resolve(schema: Schema, root: Schema): Schema {
  if (!schema.$ref) return schema;
  const target = root.$defs?.[schema.$ref.replace('#/$defs/', '')] ?? {};
  return { ...target, title: schema.title ?? target.title };
}

/** A list's items are named after the list where the model names none: `Keywords` → `Keyword`. */
export const itemNameOf = (items: Schema, listLabel: string) =>
  items.title ?? listLabel.replace(/s$/, '');

/** What the form calls the field at `pointer`: `/creators/0/name` → "Creator 1 › Name". */
export function labelOf(root: Schema, pointer: string): string {
  const names: string[] = [];
  let schema: Schema | undefined = root;
  let label = '';
  for (const token of pointer.split('/').slice(1)) {
    if (!schema) break;
    if (/^\d+$/.test(token) && schema.items) {
      schema = resolve(schema.items, root);
      label = `${itemNameOf(schema, label)} ${Number(token) + 1}`;
      names[names.length - 1] = label;
      continue;
    }
    const property: Schema | undefined = schema.properties?.[token];
    schema = property && resolve(property, root);
    label = property?.title ?? token;
    names.push(label);
  }
  return names.join(' › ') || 'The description';
}

/**
 * Moves the focus to the field at `pointer`, or to the nearest enclosing one on screen (a list
 * without items yet: its "Add" button).
 */
export function focusField(pointer: string): void {
  for (let at = pointer; ; at = at.replace(/\/[^/]*$/, '')) {
    const element = document.getElementById(fieldId(at));
    if (element) {
      const target =
        element.tagName === 'FIELDSET'
          ? (element.querySelector<HTMLElement>('input, select, textarea, button') ?? element)
          : element;
      target.scrollIntoView({ block: 'center' });
      target.focus();
      return;
    }
    if (!at) return;
  }
}

const AJV_WORDS: [RegExp, (...groups: string[]) => string][] = [
  [/must NOT have more than (\d+) characters/, (n) => `Too long: at most ${n} characters.`],
  [/must NOT have fewer than 1 characters/, () => 'This cannot be empty.'],
  [/must NOT have fewer than (\d+) characters/, (n) => `Too short: at least ${n} characters.`],
  [/must have required property/, () => 'This is needed.'],
  [/must match format "date"/, () => 'Not a date.'],
  [/must match format "uri"/, () => 'Not a web address (https://…).'],
  [/must match pattern/, () => 'Not in the form expected here.'],
  [/must be equal to one of the allowed values/, () => 'Choose one of the options.'],
];

/** A validator's finding ("/metadata/title must NOT have more than 500 characters") in words. */
export function inWords(detail: string): string {
  const said = detail.replace(/^\/\S* /, '');
  for (const [pattern, words] of AJV_WORDS) {
    const found = pattern.exec(said);
    if (found) return words(...found.slice(1));
  }
  return said;
}
