import type { FastifyReply, FastifyRequest } from 'fastify';
import type { CallOptions, HttpClient } from '@rds/kit';

/**
 * Calls layer 2 and answers with what it said: status, body, content type and `ETag`. Its
 * refusals (4xx) reach the UI as they are, through the kit's relay.
 */
export async function relay(
  client: HttpClient,
  call: CallOptions,
  reply: FastifyReply,
): Promise<FastifyReply> {
  const answer = await client.relay<unknown>(call);
  const { etag, 'content-type': type } = answer.headers;
  if (typeof etag === 'string') reply.header('etag', etag);
  if (answer.status === 204) return reply.code(204).send();
  return reply
    .code(answer.status)
    .type(String(type ?? 'application/json').split(';')[0]!)
    .send(answer.body);
}

/** Fills `{name}` in a path template from the request's path parameters. */
export function pathOf(template: string, request: FastifyRequest): string {
  const params = request.params as Record<string, string>;
  return template.replace(/\{(\w+)\}/g, (_match, name: string) =>
    encodeURIComponent(params[name] ?? ''),
  );
}

/** The call to layer 2 that an API operation stands for: same body, query and `If-Match`. */
export function callFor(
  method: CallOptions['method'],
  template: string,
  request: FastifyRequest,
): CallOptions {
  const ifMatch = request.headers['if-match'];
  return {
    method,
    path: pathOf(template, request),
    query: request.query as CallOptions['query'],
    ...(request.body !== undefined ? { json: request.body } : {}),
    ...(typeof ifMatch === 'string' ? { headers: { 'if-match': ifMatch } } : {}),
  };
}
