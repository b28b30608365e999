/**
 * A use case or the web front end passing a call on to the service that keeps what it is about,
 * and its answer back as it came.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Relayed } from './client.ts';

/**
 * Answers as the other service answered: status, body, content type, `ETag` (the version the
 * next change is based on) and the `keep` headers (`location` where the paths are the same).
 * Its refusals (4xx) do not come here: ContractClient throws them as the same problems.
 */
export function handBack(
  reply: FastifyReply,
  answer: Relayed<unknown>,
  keep: string[] = [],
): FastifyReply {
  for (const name of ['etag', ...keep]) {
    const value = answer.headers[name];
    if (typeof value === 'string') reply.header(name, value);
  }
  if (answer.status === 204) return reply.code(204).send();
  const type = answer.headers['content-type'];
  return reply
    .code(answer.status)
    .type(String(type ?? 'application/json').split(';')[0]!)
    .send(answer.body);
}

/** The version a change is based on, passed on: the other service refuses a change to a newer one. */
export function ifMatchOf(request: FastifyRequest): { headers?: Record<string, string> } {
  const ifMatch = request.headers['if-match'];
  return typeof ifMatch === 'string' ? { headers: { 'if-match': ifMatch } } : {};
}
