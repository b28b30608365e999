/** The UI's calls to web's API: JSON in and out, the CSRF token on changes, problems as errors. */
import createClient from 'openapi-fetch';
// Types only: they are gone from the bundle.
import type { components, paths } from '@rds/contracts/generated/web';

/** What the UI reads of a problem: enough to say what is wrong, and where. */
export type Problem = Pick<
  components['schemas']['Problem'],
  'status' | 'detail' | 'messageKey' | 'errors'
>;

/** A refusal or failure, saying what is wrong in words for the user. */
export class ApiError extends Error {
  readonly problem: Problem;
  constructor(problem: Problem) {
    super(problem.detail);
    this.problem = problem;
  }
  /** Someone else changed what this change was based on: reading it again is the way out. */
  get conflict(): boolean {
    return this.problem.status === 412;
  }
}

/** The server's words for a lost update name HTTP's If-Match; a researcher reads these. */
const CONFLICT = 'Someone changed this context since you opened it.';

let csrfToken = '';
export function useCsrfToken(token: string): void {
  csrfToken = token;
}

/**
 * web's API, typed from its contract: each path, its parameters, body and answer, so that a call
 * off the contract fails to compile (`api.GET('/api/contexts/{contextId}', { params })`).
 */
export const api = createClient<paths>({ credentials: 'same-origin' });
api.use({
  onRequest: ({ request }) => {
    // Every change carries the session's CSRF token.
    if (request.method !== 'GET') request.headers.set('x-csrf-token', csrfToken);
    return request;
  },
});

/** What `api` gives for one call: the parsed body of a success, or of a refusal. */
export interface Sent<Body> {
  data?: Body;
  error?: unknown;
  response: Response;
}

export interface Answer<Body> {
  body: Body;
  /** The context's version, to name in `If-Match` when changing it. */
  etag: string;
}

/** The version a change is based on (`If-Match`): the server refuses a change to a newer one. */
export type IfMatch = { 'If-Match'?: string };
export const ifMatch = (etag: string): IfMatch => (etag ? { 'If-Match': etag } : {});

/** The answer to a call of `api`; a refusal or failure is thrown as an {@link ApiError}. */
export async function answer<Body>(sent: Promise<Sent<Body>>): Promise<Answer<Body>> {
  const { data, error, response } = await sent;
  if (!response.ok) {
    const problem = isProblem(error)
      ? error
      : {
          status: response.status,
          detail: `The server answered ${response.status}.`,
          messageKey: 'unknown',
        };
    throw new ApiError(response.status === 412 ? { ...problem, detail: CONFLICT } : problem);
  }
  return { body: data as Body, etag: response.headers.get('etag') ?? '' };
}

/** The body of the answer to a call of `api`. */
export const bodyOf = async <Body>(sent: Promise<Sent<Body>>) => (await answer(sent)).body;

const isProblem = (body: unknown): body is Problem =>
  typeof body === 'object' && body !== null && 'detail' in body && Boolean(body.detail);

export const messageOf = (error: unknown) =>
  error instanceof Error ? error.message : 'Something went wrong.';

/** The shapes the screens use, as web's contract defines them. */
type Schemas = components['schemas'];
export type Session = Schemas['Session'];
export type CatalogueEntry = Schemas['CatalogueEntry'];
export type SourceSettings = Schemas['SourceSettings'];
export type TargetSettings = Schemas['TargetSettings'];
/** What a target reported back about its record after an export. */
export type Reported = Schemas['TargetReport'];
/** What an export run does: send the files, or publish the draft an earlier export left. */
export type RunAction = Schemas['RunAction'];
export type Context = Schemas['Context'];
export type ResearchMetadata = Schemas['ResearchMetadata'];
export type Progress = Schemas['Progress'];
export type Run = Schemas['Run'];
export type RunFile = Schemas['RunFile'];
/** What one target says about the context's saved metadata. */
export type CheckResult = Schemas['CheckResult'];
