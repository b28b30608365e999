import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import type { FastifyInstance, FastifySchema } from 'fastify';
import { MAX_LISTED_ERRORS } from './problems.ts';

/** Keywords OpenAPI adds to JSON Schema; known, so Ajv's strict mode still catches typos. */
const OPENAPI_KEYWORDS = ['example', 'discriminator', 'xml', 'externalDocs'];

function newAjv(coerceTypes: boolean | 'array'): Ajv2020 {
  const ajv = new Ajv2020({
    coerceTypes,
    allErrors: true,
    useDefaults: true,
    removeAdditional: false,
    strict: true,
    strictRequired: false,
    allowUnionTypes: true,
  });
  addFormats.default(ajv);
  ajv.addVocabulary(OPENAPI_KEYWORDS);
  return ajv;
}

/** Response validation (on in tests): strict, and never changing what is sent. */
export const RESPONSE_AJV_OPTIONS = {
  coerceTypes: false,
  useDefaults: false,
  removeAdditional: false,
  allErrors: true,
  strict: false,
  plugins: [addFormats.default],
};

/**
 * Request validation with JSON Schema 2020-12, the dialect of OpenAPI 3.1. Bodies are checked as
 * sent (a string is not a number); path, query and header values are text, so they are coerced.
 * Every string and property name must also be text a database can keep (see {@link wellFormed}).
 */
export function installValidators(app: FastifyInstance): void {
  const bodies = newAjv(false);
  const textual = newAjv('array');
  app.setValidatorCompiler(({ schema, httpPart }) => {
    // A binary body is a stream the handler reads as it arrives; there is nothing to validate yet.
    if (httpPart === 'body' && isBinary(schema)) return () => true;
    const ajv = httpPart === 'body' ? bodies : textual;
    return wellFormed(ajv.compile(withoutSharedId(schema)));
  });
  // fast-json-stringify drops what a response schema does not list, even where JSON Schema allows
  // it (`type: object` alone serialises as `{}`). Contracts mean what JSON Schema says, so the
  // kit serialises with JSON.stringify; response validation (on in tests) checks the shape.
  app.setSerializerCompiler(() => JSON.stringify);
}

/** fastify-openapi-glue gives recursive schemas one fixed $id; each compiled schema needs its own. */
let idCounter = 0;
function withoutSharedId(schema: FastifySchema): object {
  const id = (schema as { $id?: string }).$id;
  if (id !== 'http://example.com/fastifySchema') return schema;
  idCounter += 1;
  return { ...schema, $id: `urn:rds:schema:${idCounter}` };
}

function isBinary(schema: FastifySchema): boolean {
  const { type, format, contentMediaType } = schema as {
    type?: string;
    format?: string;
    contentMediaType?: string;
  };
  return (
    type === 'string' && (format === 'binary' || contentMediaType === 'application/octet-stream')
  );
}

/** A validator as Fastify calls it: Ajv's, or one wrapping it (Fastify reads its `errors`). */
type Validator = ((data: unknown, context?: object) => boolean) & {
  errors?: ErrorObject[] | null;
  schemaEnv?: unknown;
};

/**
 * Adds to a schema's validation what no schema says: strings without NUL characters and
 * unpaired surrogates. PostgreSQL refuses NUL in text and JSON (a 500 before), and a lone
 * surrogate is no character at all: it was stored as U+FFFD.
 */
function wellFormed(validate: ValidateFunction): Validator {
  const check: Validator = (data, context) => {
    if (!validate(data, context as never)) {
      check.errors = validate.errors ?? null;
      return false;
    }
    const errors = illFormedText(data);
    check.errors = errors.length > 0 ? errors : null;
    return errors.length === 0;
  };
  // Fastify passes the parent to validators with a `schemaEnv` (Ajv's), so that coercion can replace a root value.
  check.schemaEnv = validate.schemaEnv;
  return check;
}

const ILL_FORMED = 'must be text without NUL characters or unpaired surrogates';

/** The strings and property names of a value that are not well-formed text; without recursion. */
function illFormedText(data: unknown): ErrorObject[] {
  const errors: ErrorObject[] = [];
  const pending: [unknown, string][] = [[data, '']];
  const flag = (instancePath: string) =>
    errors.push({
      instancePath,
      keyword: 'wellFormed',
      schemaPath: '#',
      params: {},
      message: ILL_FORMED,
    });
  while (pending.length > 0 && errors.length < MAX_LISTED_ERRORS) {
    const [value, path] = pending.pop()!;
    if (typeof value === 'string') {
      if (!isText(value)) flag(path);
    } else if (value !== null && typeof value === 'object') {
      for (const [key, item] of Object.entries(value)) {
        const itemPath = `${path}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`;
        if (!isText(key)) flag(itemPath);
        else pending.push([item, itemPath]);
      }
    }
  }
  return errors;
}

function isText(value: string): boolean {
  return !value.includes('\0') && (value as string & { isWellFormed(): boolean }).isWellFormed();
}
