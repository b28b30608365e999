import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import type { FastifyInstance, FastifySchema } from 'fastify';

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
 */
export function installValidators(app: FastifyInstance): void {
  const bodies = newAjv(false);
  const textual = newAjv('array');
  app.setValidatorCompiler(({ schema, httpPart }) => {
    // A binary body is a stream the handler reads as it arrives; there is nothing to validate yet.
    if (httpPart === 'body' && isBinary(schema)) return () => true;
    const ajv = httpPart === 'body' ? bodies : textual;
    return ajv.compile(withoutSharedId(schema));
  });
  // Binary bodies (file uploads) reach the handler as the request stream, unbuffered and without
  // the body limit: a file may be any size, and only the handler knows where it goes.
  app.addContentTypeParser('application/octet-stream', (_request, payload, done) =>
    done(null, payload),
  );
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
