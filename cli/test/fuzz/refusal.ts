/**
 * Which requests the contract does not allow, so a 2xx answer to one is a validation or
 * authorisation bypass. Bodies are judged by Ajv against the operation's own schema, as the kit
 * validates them (JSON Schema 2020-12), plus the rule that text holds no NUL and no lone surrogate.
 */
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import type { FuzzOperation } from './contract.ts';
import type { Credentials } from './cases.ts';

const ajv = new Ajv2020({ strict: false, allErrors: false, validateFormats: true });
addFormats.default(ajv);
const compiled = new Map<FuzzOperation, ValidateFunction>();

/**
 * Operations the embedded stack also takes without a token: token-storage's registerService
 * (token-storage/src/index.ts: anonymousOperations when RDS_ALLOW_ANONYMOUS_REGISTRATION, which
 * `rds start` sets).
 */
const ANONYMOUS = new Set(['token-storage registerService']);

const REFUSED: Credentials[] = [
  'garbage',
  'other audience',
  'caller not allowed',
  'issued in the future',
  'audience list',
  'no CSRF token',
];

/** Credentials an operation must refuse whatever the request says. */
export function credentialsRefused(op: FuzzOperation, credentials: Credentials): boolean {
  if (op.auth.kind === 'public') return false;
  if (credentials === 'none') return !ANONYMOUS.has(`${op.service} ${op.operationId}`);
  if (credentials === 'no user') return op.auth.kind === 'token' && op.auth.userRequired;
  return REFUSED.includes(credentials);
}

/**
 * Whether the operation must refuse a body sent with this content type: one it does not take,
 * or JSON its schema does not allow.
 */
export function bodyRefused(
  op: FuzzOperation,
  contentType: string | undefined,
  body: string | Buffer,
): boolean {
  const type = contentType?.split(';')[0]?.trim() ?? '';
  const takesJson = Object.keys(op.body).some((declared) => declared.includes('json'));
  const jsonFamily = takesJson && /^application\/([a-z.+-]+\+)?json$/.test(type);
  if (!op.body[type] && !jsonFamily) return true;
  if (!type.includes('json')) return false;
  let value: unknown;
  try {
    value = JSON.parse(String(body));
  } catch {
    return true;
  }
  return !validatorOf(op)(value) || hasBadText(String(body));
}

function validatorOf(op: FuzzOperation): ValidateFunction {
  let validate = compiled.get(op);
  if (!validate) {
    const schema = Object.entries(op.body).find(([type]) => type.includes('json'))?.[1] ?? {};
    validate = ajv.compile({ ...schema, components: op.components });
    compiled.set(op, validate);
  }
  return validate;
}

/** NUL, or a lone surrogate, as JSON.stringify writes them. */
function hasBadText(json: string): boolean {
  return /\\u0000|\\ud[89ab][0-9a-f]{2}(?!\\ud[c-f])|(?<!\\ud[89ab][0-9a-f]{2})\\ud[c-f]/i.test(
    json,
  );
}
