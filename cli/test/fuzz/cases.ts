/**
 * The requests the fuzz suite sends for one operation: valid ones generated from its contract
 * (json-schema-faker, seeded, so a failure reproduces), then each part mutated in turn.
 */
import { generateSync } from 'json-schema-faker';
import type { FuzzOperation, Parameter, Schema } from './contract.ts';
import { bodyRefused, credentialsRefused } from './refusal.ts';
import {
  ODD_BODIES,
  ODD_STRINGS,
  ODD_URL_VALUES,
  OTHER_CONTENT_TYPES,
  WRONG_TYPES,
} from './values.ts';

/** Who the request claims to be; `valid` is a proper token or session for the operation. */
export type Credentials =
  | 'valid'
  | 'none'
  | 'garbage'
  | 'other audience'
  | 'caller not allowed'
  | 'no user'
  | 'issued in the future'
  | 'audience list'
  | 'no CSRF token';

export interface FuzzRequest {
  /** What this request varies, e.g. `query path: encoded NUL`. */
  shape: string;
  credentials: Credentials;
  method: string;
  /** Path and query as sent, percent-encoded where the value was not meant to be raw. */
  target: string;
  headers: Record<string, string>;
  body?: string | Buffer;
  /** The contract does not allow this request: a 2xx answer to it is a bypass. */
  refuse: boolean;
  /** The statuses this request may get, where the contract says. */
  expect?: number[];
}

/** Values the valid requests use where the contract allows any: ids seen in earlier answers. */
export type Known = Map<string, unknown>;

/** How many string fields, and top-level fields, of a body are each mutated. */
const MUTATED_LEAVES = 4;
const MUTATED_FIELDS = 5;
/** Valid requests per operation: the first ones use known values, the last is as generated. */
const VALID_VARIANTS = 3;

interface Valid {
  params: Record<string, unknown>;
  mediaType: string | undefined;
  body: unknown;
}

/** Every request for one operation, in a fixed order for a given seed. */
export function casesFor(op: FuzzOperation, seed: number, known: Known[]): FuzzRequest[] {
  const valids = Array.from({ length: VALID_VARIANTS }, (_, n) =>
    validRequest(op, seed + n, known[n]),
  );
  const base = valids[0]!;
  const build = (shape: string, change: Partial<Built> = {}) =>
    toRequest(op, shape, { ...built(base), ...change });
  return [
    ...valids.map((valid, n) => toRequest(op, `valid ${n + 1}`, built(valid))),
    ...credentialCases(op).map((credentials) => build(`valid, ${credentials}`, { credentials })),
    ...(hasJsonBody(op)
      ? [
          build('invalid body, no credentials', {
            credentials: 'none',
            body: '{"x":{"$gt":""}}',
            bodyVaried: true,
          }),
        ]
      : []),
    ...parameterCases(op, base).map(([shape, change]) => build(shape, change)),
    ...bodyCases(op, base).map(([shape, change]) => build(shape, { bodyVaried: true, ...change })),
  ];
}

function credentialCases(op: FuzzOperation): Credentials[] {
  if (op.auth.kind === 'public') return [];
  if (op.auth.kind === 'session') return op.auth.csrf ? ['none', 'no CSRF token'] : ['none'];
  const notAllowed: Credentials[] = op.auth.callers.length > 0 ? ['caller not allowed'] : [];
  const forged: Credentials[] = ['issued in the future', 'audience list'];
  return ['none', 'garbage', 'other audience', ...notAllowed, 'no user', ...forged];
}

function validRequest(op: FuzzOperation, seed: number, known: Known | undefined): Valid {
  const generate = (schema: Schema) => generated({ ...schema, components: op.components }, seed);
  const params = Object.fromEntries(
    op.parameters
      .filter((p) => p.required || seed % 2 === 0 || known?.has(p.name))
      .map((p) => [p.name, known?.has(p.name) ? known.get(p.name) : generate(p.schema)]),
  );
  const [mediaType, schema] = Object.entries(op.body)[0] ?? [];
  const body = mediaType && schema && validBody(op, mediaType, schema, seed, known);
  return { params, mediaType, body };
}

/** Tries for a body the schema allows: json-schema-faker sometimes breaks a nested minLength. */
const BODY_TRIES = 20;

function validBody(
  op: FuzzOperation,
  mediaType: string,
  schema: Schema,
  seed: number,
  known: Known | undefined,
): unknown {
  let body: unknown;
  for (let n = 0; n < BODY_TRIES; n++) {
    body = withKnown(generated({ ...schema, components: op.components }, seed + n * 1000), known);
    if (!bodyRefused(op, mediaType, JSON.stringify(body))) return body;
  }
  return body;
}

/**
 * A value valid for the schema. json-schema-faker leaves optional fields out at random and then
 * refuses some schemas (`minProperties` with `additionalProperties: false`): then with all fields.
 */
function generated(schema: Schema, seed: number): unknown {
  const options = { seed, maxDefaultItems: 2 };
  try {
    return generateSync(schema, options);
  } catch {
    return generateSync(schema, { ...options, alwaysFakeOptionals: true });
  }
}

/** Generated values replaced by known ones wherever a field has a known name. */
function withKnown(value: unknown, known: Known | undefined): unknown {
  if (!known || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((item) => withKnown(item, known));
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => [
      key,
      known.has(key) ? known.get(key) : withKnown(item, known),
    ]),
  );
}

interface Built {
  credentials: Credentials;
  params: Record<string, unknown>;
  /** Raw values: put on the wire as they are, not percent-encoded. */
  raw: Set<string>;
  /** An unknown query parameter, as sent. */
  extraQuery?: string;
  contentType: string | undefined;
  body: string | Buffer | undefined;
  /** Whether the body is what this request varies, so it is judged against the schema. */
  bodyVaried?: boolean;
  /** A required parameter is left out. */
  missingRequired?: boolean;
}

function built(valid: Valid): Built {
  return {
    credentials: 'valid',
    params: valid.params,
    raw: new Set(),
    contentType: valid.mediaType,
    body: encodeBody(valid.mediaType, valid.body),
  };
}

function encodeBody(mediaType: string | undefined, body: unknown): string | Buffer | undefined {
  if (mediaType === undefined) return undefined;
  if (mediaType === 'application/octet-stream') return Buffer.from(String(body));
  return JSON.stringify(body);
}

function toRequest(op: FuzzOperation, shape: string, b: Built): FuzzRequest {
  const value = (p: Parameter) => {
    const v = b.params[p.name];
    const text = typeof v === 'string' ? v : JSON.stringify(v);
    return b.raw.has(p.name) ? text : encodeURIComponent(text);
  };
  const present = op.parameters.filter((p) => b.params[p.name] !== undefined);
  const path = op.path.replace(/\{([^}]+)\}/g, (_, name: string) => {
    const p = op.parameters.find((q) => q.name === name);
    return p && b.params[name] !== undefined ? value(p) : '';
  });
  const query = present
    .filter((p) => p.in === 'query')
    .map((p) => `${encodeURIComponent(p.name)}=${value(p)}`);
  const search = [...query, ...(b.extraQuery ? [b.extraQuery] : [])].join('&');
  const headers: Record<string, string> = Object.fromEntries(
    present
      .filter((p) => p.in === 'header' && p.name.toLowerCase() !== 'content-length')
      .map((p) => [p.name.toLowerCase(), String(b.params[p.name])]),
  );
  if (b.contentType !== undefined && b.body !== undefined) headers['content-type'] = b.contentType;
  return {
    shape,
    credentials: b.credentials,
    method: op.method,
    target: search ? `${path}?${search}` : path,
    headers,
    ...(b.body !== undefined ? { body: b.body } : {}),
    ...judged(op, b),
  };
}

/** Which answers the contract leaves a request: bad input from a trusted caller is the kit's to refuse. */
function judged(op: FuzzOperation, b: Built): Pick<FuzzRequest, 'refuse' | 'expect'> {
  const invalid =
    Boolean(b.missingRequired) ||
    (Boolean(b.bodyVaried) && bodyRefused(op, b.contentType, b.body ?? ''));
  const refuse = invalid || credentialsRefused(op, b.credentials);
  return invalid && b.credentials === 'valid' ? { refuse, expect: VALIDATION } : { refuse };
}

/** How the kit refuses what its contract does not allow: invalid, too large, or not its type. */
const VALIDATION = [400, 413, 415];

/** Each parameter in turn: odd values as sent on the wire, then left out; one unknown parameter. */
function parameterCases(op: FuzzOperation, base: Valid): [string, Partial<Built>][] {
  const cases: [string, Partial<Built>][] = [];
  for (const p of op.parameters) {
    if (p.in === 'cookie' || p.name.toLowerCase() === 'content-length') continue;
    const where = `${p.in} ${p.name}`;
    const odd = p.in === 'header' ? headerValues() : ODD_URL_VALUES;
    for (const [name, value] of Object.entries(odd))
      cases.push([
        `${where}: ${name}`,
        { params: { ...base.params, [p.name]: value }, raw: new Set([p.name]) },
      ]);
    if (p.in !== 'path')
      cases.push([
        `${where}: missing`,
        { params: omit(base.params, p.name), missingRequired: p.required },
      ]);
  }
  if (op.parameters.some((p) => p.in === 'query') || op.method === 'GET')
    cases.push(['unknown query parameter', { extraQuery: 'unexpected=1' }]);
  return cases;
}

/** Odd values a header can carry at all (HTTP refuses NUL and line breaks in headers). */
function headerValues(): Record<string, string> {
  return {
    '8 KB': 'a'.repeat(8 * 1024),
    'path traversal': ODD_STRINGS['path traversal']!,
    'percent signs': ODD_STRINGS['percent signs']!,
    'quoted junk': '"*", W/"x"',
  };
}

function omit<T extends Record<string, unknown>>(record: T, key: string): T {
  const { [key]: _, ...rest } = record;
  return rest as T;
}

function hasJsonBody(op: FuzzOperation): boolean {
  return Object.keys(op.body).some((type) => type.includes('json'));
}

/** The body's mutations: fields left out, added, of the wrong type, odd strings, odd bodies. */
function bodyCases(op: FuzzOperation, base: Valid): [string, Partial<Built>][] {
  if (!hasJsonBody(op)) {
    const unexpected = JSON.stringify({ unexpected: true });
    return Object.keys(op.body).length > 0
      ? [['JSON instead of bytes', { contentType: 'application/json', body: unexpected }]]
      : [
          [
            'unexpected JSON body',
            { contentType: 'application/json', body: unexpected, bodyVaried: false },
          ],
        ];
  }
  const json = (shape: string, body: unknown): [string, Partial<Built>] => [
    shape,
    { body: JSON.stringify(body) },
  ];
  const object = isObject(base.body) ? base.body : {};
  const fields = Object.keys(object).slice(0, MUTATED_FIELDS);
  const valid = JSON.stringify(base.body);
  return [
    ...requiredFields(op).map((field) => json(`body: without ${field}`, omit(object, field))),
    json('body: unknown field', { ...object, unexpectedField: 'x' }),
    ...fields.flatMap((field) =>
      Object.entries(WRONG_TYPES).map(([name, value]) =>
        json(`body: ${field} as ${name}`, { ...object, [field]: value }),
      ),
    ),
    ...stringLeaves(base.body)
      .slice(0, MUTATED_LEAVES)
      .flatMap((path) =>
        Object.entries(ODD_STRINGS).map(([name, value]) =>
          json(`body ${path.join('.') || '(root)'}: ${name}`, setAt(base.body, path, value)),
        ),
      ),
    ...Object.entries(ODD_BODIES).map(([name, body]): [string, Partial<Built>] => [
      `body: ${name}`,
      { body },
    ]),
    ...OTHER_CONTENT_TYPES.map((type): [string, Partial<Built>] => [
      `valid body as ${type}`,
      { contentType: type, body: type.includes('urlencoded') ? formOf(object) : valid },
    ]),
    [
      'invalid body as application/problem+json',
      { contentType: 'application/problem+json', body: '{"name":{"$gt":""},"owner":"x"}' },
    ],
    ['body without content type', { contentType: undefined, body: valid }],
  ];
}

function requiredFields(op: FuzzOperation): string[] {
  const schema = Object.values(op.body)[0] as { required?: string[] } | undefined;
  return schema?.required ?? [];
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Paths to the string values in a body, depth first. */
function stringLeaves(value: unknown, path: (string | number)[] = []): (string | number)[][] {
  if (typeof value === 'string') return [path];
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, item]) =>
    stringLeaves(item, [...path, Array.isArray(value) ? Number(key) : key]),
  );
}

function setAt(value: unknown, path: (string | number)[], replacement: unknown): unknown {
  const [head, ...rest] = path;
  if (head === undefined) return replacement;
  const copy = (Array.isArray(value) ? [...value] : { ...(value as object) }) as Record<
    string | number,
    unknown
  >;
  copy[head] = setAt(copy[head], rest, replacement);
  return copy;
}

function formOf(object: Record<string, unknown>): string {
  return new URLSearchParams(
    Object.entries(object).map(([key, value]): [string, string] => [
      key,
      typeof value === 'string' ? value : JSON.stringify(value),
    ]),
  ).toString();
}

/** Requests to no operation: unknown paths, a bad encoding, headers too large to read. */
export function serviceCases(): FuzzRequest[] {
  const get = (shape: string, target: string, headers: Record<string, string> = {}) => ({
    shape,
    refuse: false,
    credentials: 'none' as const,
    method: 'GET',
    target,
    headers,
  });
  return [
    { ...get('unknown path', '/no/such/path'), expect: [404] },
    get('encoded traversal', '/..%2f..%2f..%2fetc%2fpasswd'),
    get('bad percent-encoding in the path', '/%zz'),
    get('headers over 16 KB', '/no/such/path', { 'x-padding': 'a'.repeat(20 * 1024) }),
    { ...get('unknown method', '/no/such/path'), method: 'PROPFIND' },
  ];
}
