/**
 * A form built from a JSON Schema: objects as field sets, arrays as lists one can add to and
 * remove from, enums as choices, dates as date fields. Small on purpose: it renders what the
 * metadata model uses (type, properties, items, enum, format, $ref into $defs), and shows the
 * problems it is given next to the field they point at (JSON Pointers).
 */
import { fieldId, itemNameOf, resolve } from './fields.ts';
import { Hint } from './Hint.tsx';
import { VocabularyInput, vocabularyFor } from './vocabularies.tsx';

export interface Schema {
  type?: string;
  title?: string;
  description?: string;
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  enum?: string[];
  format?: string;
  maxLength?: number;
  default?: unknown;
  $ref?: string;
  $defs?: Record<string, Schema>;
}

type Value = unknown;
/** Problems by JSON Pointer into the value, e.g. `/creators/0/orcid`. */
export type FieldErrors = Record<string, string[]>;

interface FieldProps {
  schema: Schema;
  root: Schema;
  value: Value;
  pointer: string;
  label: string;
  required: boolean;
  errors: FieldErrors;
  onChange: (value: Value) => void;
}

const isEmpty = (value: Value) =>
  value === undefined ||
  value === '' ||
  (Array.isArray(value) && value.length === 0) ||
  (typeof value === 'object' && value !== null && Object.keys(value).length === 0);

/** The value without empty fields and list items, as the form's user means it. */
export function prune(value: Value): Value {
  if (Array.isArray(value)) return value.map(prune).filter((item) => !isEmpty(item));
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value).map(([key, item]) => [key, prune(item)] as const);
    return Object.fromEntries(entries.filter(([, item]) => !isEmpty(item)));
  }
  return value;
}

export function SchemaForm(props: {
  schema: Schema;
  value: Record<string, Value>;
  errors: FieldErrors;
  onChange: (value: Record<string, Value>) => void;
}) {
  return (
    <ObjectFields
      schema={props.schema}
      root={props.schema}
      value={props.value}
      pointer=""
      errors={props.errors}
      onChange={(value) => props.onChange((value ?? {}) as Record<string, Value>)}
    />
  );
}

function ObjectFields({
  schema,
  root,
  value,
  pointer,
  errors,
  onChange,
}: Omit<FieldProps, 'label' | 'required'>) {
  const object = (value ?? {}) as Record<string, Value>;
  const set = (name: string, next: Value) => {
    const { [name]: _old, ...rest } = object;
    const changed = isEmpty(next) ? rest : { ...rest, [name]: next };
    onChange(isEmpty(changed) ? undefined : changed);
  };
  return (
    <>
      {Object.entries(schema.properties ?? {}).map(([name, property]) => (
        <Field
          key={name}
          schema={resolve(property, root)}
          root={root}
          value={object[name]}
          pointer={`${pointer}/${name}`}
          label={property.title ?? name}
          required={schema.required?.includes(name) ?? false}
          errors={errors}
          onChange={(next) => set(name, next)}
        />
      ))}
    </>
  );
}

function Problems({ id, messages }: { id: string; messages: string[] | undefined }) {
  if (!messages?.length) return null;
  return (
    <ul id={id} className="field-errors">
      {messages.map((message) => (
        <li key={message}>{message}</li>
      ))}
    </ul>
  );
}

function Field(props: FieldProps) {
  const { schema, root, value, pointer, label, required, errors, onChange } = props;
  const id = fieldId(pointer);
  const problemsId = `${id}-problems`;
  const messages = errors[pointer];
  const invalid = messages?.length ? { 'aria-invalid': true, 'aria-describedby': problemsId } : {};
  const title = `${label}${required ? ' (required)' : ''}`;

  if (schema.type === 'object') {
    return (
      <fieldset id={id} tabIndex={-1}>
        <legend>{title}</legend>
        <Hint text={schema.description} />
        <Problems id={problemsId} messages={messages} />
        <ObjectFields {...props} schema={schema} />
      </fieldset>
    );
  }
  if (schema.type === 'array' && schema.items) {
    return (
      <ArrayField
        {...props}
        items={resolve(schema.items, root)}
        messages={messages}
        problemsId={problemsId}
        id={id}
      />
    );
  }
  const text = value === undefined ? '' : String(value);
  const change = (next: string) => onChange(next === '' ? undefined : next);
  let input;
  const vocabulary = vocabularyFor(pointer);
  if (vocabulary) {
    input = (
      <VocabularyInput
        vocabulary={vocabulary}
        id={id}
        value={text}
        onChange={change}
        invalid={invalid}
      />
    );
  } else if (schema.enum) {
    input = (
      <select id={id} value={text} onChange={(e) => change(e.target.value)} {...invalid}>
        <option value="">—</option>
        {schema.enum.map((option) => (
          <option key={option} value={option}>
            {option}
          </option>
        ))}
      </select>
    );
  } else if ((schema.maxLength ?? 0) > 1000) {
    input = (
      <textarea
        id={id}
        value={text}
        rows={4}
        onChange={(e) => change(e.target.value)}
        {...invalid}
      />
    );
  } else {
    const type = schema.format === 'date' ? 'date' : schema.format === 'uri' ? 'url' : 'text';
    input = (
      <input
        id={id}
        type={type}
        value={text}
        onChange={(e) => change(e.target.value)}
        {...invalid}
      />
    );
  }
  return (
    <div className="field">
      <label htmlFor={id}>{title}</label>
      <Hint text={vocabulary?.hint ?? schema.description} />
      {input}
      <Problems id={problemsId} messages={messages} />
    </div>
  );
}

function ArrayField(
  props: FieldProps & {
    items: Schema;
    messages: string[] | undefined;
    problemsId: string;
    id: string;
  },
) {
  const { items, root, value, pointer, label, errors, onChange, messages, problemsId, id } = props;
  const list = Array.isArray(value) ? value : [];
  const itemName = itemNameOf(items, label);
  const replace = (index: number, next: Value) =>
    onChange(list.map((item, i) => (i === index ? next : item)));
  return (
    <fieldset id={id} tabIndex={-1}>
      <legend>{label}</legend>
      <Problems id={problemsId} messages={messages} />
      {list.map((item, index) => (
        <div key={index} className="array-item">
          <Field
            schema={items}
            root={root}
            value={item}
            pointer={`${pointer}/${index}`}
            label={`${itemName} ${index + 1}`}
            required={false}
            errors={errors}
            onChange={(next) => replace(index, next)}
          />
          <button
            type="button"
            className="secondary"
            onClick={() => onChange(list.filter((_item, i) => i !== index))}
          >
            Remove {itemName.toLowerCase()} {index + 1}
          </button>
        </div>
      ))}
      <button
        type="button"
        className="secondary"
        onClick={() => onChange([...list, items.type === 'object' ? {} : ''])}
      >
        Add {itemName.toLowerCase()}
      </button>
    </fieldset>
  );
}
