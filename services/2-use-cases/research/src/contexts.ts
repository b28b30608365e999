import { actingUser, type CallOptions, type Handler, type HttpClient } from '@rds/kit';
import { canonicalMetadata, type ResearchMetadata } from '@rds/metadata-model';

/**
 * The operations research-manager keeps for the user. research offers each at the same path with
 * the same parameters, so a call is handed on as it came (its metadata made canonical) and the answer handed back as it went.
 */
const RESEARCH_MANAGER_OPERATIONS = [
  'createContext',
  'listContexts',
  'getContext',
  'updateContext',
  'deleteContext',
  'restoreContext',
  'changeStatus',
  'addSource',
  'updateSource',
  'removeSource',
  'addTarget',
  'updateTarget',
  'removeTarget',
  'listRuns',
  'getRun',
  'listRunFiles',
];

/** What the user needs of research-manager's headers: the tag for the next change, where a new context is. */
const ANSWER_HEADERS = ['etag', 'location'];

/**
 * Metadata is kept with its identifiers canonical (an ORCID pasted as its URL is kept bare);
 * what cannot be made canonical is kept as typed, and the metadata checks name it at its field.
 */
function withCanonicalMetadata(body: unknown): unknown {
  const metadata = (body as { metadata?: ResearchMetadata } | undefined)?.metadata;
  return metadata ? { ...(body as object), metadata: canonicalMetadata(metadata).metadata } : body;
}

export function contextHandlers(researchManager: HttpClient): Record<string, Handler> {
  const relay: Handler = async (request, reply) => {
    actingUser(request);
    const ifMatch = request.headers['if-match'];
    const answer = await researchManager.relay({
      method: request.method as CallOptions['method'],
      path: request.url,
      json: withCanonicalMetadata(request.body),
      headers: ifMatch ? { 'if-match': ifMatch } : {},
    });
    for (const name of ANSWER_HEADERS) {
      const value = answer.headers[name];
      if (typeof value === 'string') reply.header(name, value);
    }
    return reply.code(answer.status).send(answer.body);
  };
  return Object.fromEntries(RESEARCH_MANAGER_OPERATIONS.map((operation) => [operation, relay]));
}
