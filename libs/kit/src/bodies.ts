import type {
  FastifyBodyParser,
  FastifyInstance,
  FastifyRequest,
  onRequestHookHandler,
} from 'fastify';
import { ProblemError, shortened } from './problems.ts';

/**
 * JSON nested deeper than this is refused before it is parsed: the validators and handlers that
 * walk a body recurse once per level, and 10,000 levels overflowed the stack (500). RDS's deepest
 * documents (research metadata, RO-Crate) are a handful of levels deep.
 */
export const MAX_JSON_DEPTH = 64;

/** What an operation's contract says of its request body. */
export interface BodyRules {
  /** The media types it declares, lower case. */
  types: string[];
  required: boolean;
}

/**
 * The kit's body parsers: JSON and every JSON-family type the contract names (problem+json,
 * merge-patch+json…) parsed alike, within {@link MAX_JSON_DEPTH}; binary bodies (file uploads)
 * as the request stream, unbuffered and without the body limit: a file may be any size, and only
 * the handler knows where it goes. A type named only for answers gets a parser too, for the glue
 * keeps only the answer types it finds a parser for (routes.ts); {@link bodyTypeHook} still
 * refuses a body of any type its operation does not declare, before a parser sees it.
 */
export function installBodyParsers(app: FastifyInstance, jsonFamily: Iterable<string>): void {
  const parseJson = app.getDefaultJsonParser('error', 'error');
  const parser: FastifyBodyParser<string> = (request, text, done) => {
    if (nestingExceeds(text, MAX_JSON_DEPTH)) return done(tooDeep(), undefined);
    parseJson(request, text, done);
  };
  app.removeContentTypeParser('application/json');
  const jsonTypes = new Set(['application/json', ...jsonFamily]);
  for (const type of jsonTypes) app.addContentTypeParser(type, { parseAs: 'string' }, parser);
  app.addContentTypeParser('application/octet-stream', (_request, payload, done) =>
    done(null, payload),
  );
}

/**
 * An operation's check of the body's media type, made on arrival, before the body is read: a
 * body of a type the contract does not declare would reach the handler unvalidated (Fastify
 * validates only the types a route has a schema for), and a missing body as `undefined`.
 */
export function bodyTypeHook(rules: BodyRules): onRequestHookHandler {
  const accepted = rules.types.join(', ');
  return (request, _reply, done) => {
    if (!hasBody(request)) {
      if (!rules.required) return done();
      return done(
        new ProblemError(400, {
          detail: `This operation needs a request body (${accepted}).`,
          messageKey: 'request.bodyMissing',
        }),
      );
    }
    const type = mediaType(request.headers['content-type']);
    if (rules.types.includes(type)) return done();
    done(
      new ProblemError(415, {
        detail: `Content type '${shortened(type)}' is not accepted here; send ${accepted}.`,
        messageKey: 'request.unsupportedMediaType',
      }),
    );
  };
}

function hasBody(request: FastifyRequest): boolean {
  const length = request.headers['content-length'];
  if (request.headers['transfer-encoding'] !== undefined) return true;
  if (length === undefined) return false;
  // An empty file is a body of 0 bytes: the handler, not this hook, says what it makes of it.
  return (
    length !== '0' || mediaType(request.headers['content-type']) === 'application/octet-stream'
  );
}

function mediaType(header: string | undefined): string {
  return (header ?? '').split(';', 1)[0]!.trim().toLowerCase();
}

function tooDeep(): ProblemError {
  return new ProblemError(400, {
    detail: `The JSON body is nested deeper than ${MAX_JSON_DEPTH} levels.`,
    messageKey: 'request.tooDeep',
    args: { maxDepth: MAX_JSON_DEPTH },
  });
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const [OPEN_ARRAY, CLOSE_ARRAY, OPEN_OBJECT, CLOSE_OBJECT] = [0x5b, 0x5d, 0x7b, 0x7d];

/** Counts brackets outside strings; linear, without recursion, before anything parses the text. */
function nestingExceeds(text: string, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === BACKSLASH) i++;
      else if (c === QUOTE) inString = false;
    } else if (c === QUOTE) inString = true;
    else if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
      if (++depth > limit) return true;
    } else if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) depth--;
  }
  return false;
}
