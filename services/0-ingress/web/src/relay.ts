import type { FastifyReply, FastifyRequest } from 'fastify';

/** Layer 2's answer, as its contract client gives it. */
interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
}

/**
 * Answers as layer 2 answered: status, body, content type and `ETag`. Its refusals (4xx) do not
 * come here: the client throws them as the same problems, and they reach the UI as they are.
 */
export function handBack(reply: FastifyReply, answer: Answer): FastifyReply {
  const { etag, 'content-type': type } = answer.headers;
  if (typeof etag === 'string') reply.header('etag', etag);
  if (answer.status === 204) return reply.code(204).send();
  return reply
    .code(answer.status)
    .type(String(type ?? 'application/json').split(';')[0]!)
    .send(answer.body);
}

/** The version a change is based on, passed on: layer 2 refuses a change to a newer one. */
export function ifMatchOf(request: FastifyRequest): { headers?: Record<string, string> } {
  const ifMatch = request.headers['if-match'];
  return typeof ifMatch === 'string' ? { headers: { 'if-match': ifMatch } } : {};
}
