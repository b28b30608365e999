/** The UI's calls to web's API: JSON in and out, the CSRF token on changes, problems as errors. */
// Types only: they are gone from the bundle.
import type { components, operations } from '@rds/contracts/generated/web';

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

export interface Answer<T> {
  body: T;
  etag: string;
}

export async function call<T>(
  method: string,
  path: string,
  options: { json?: unknown; etag?: string } = {},
): Promise<Answer<T>> {
  const headers: Record<string, string> = {};
  if (method !== 'GET') headers['x-csrf-token'] = csrfToken;
  if (options.json !== undefined) headers['content-type'] = 'application/json';
  if (options.etag) headers['if-match'] = options.etag;
  const response = await fetch(path, {
    method,
    headers,
    credentials: 'same-origin',
    ...(options.json !== undefined ? { body: JSON.stringify(options.json) } : {}),
  });
  const text = await response.text();
  const body = text ? JSON.parse(text) : undefined;
  if (!response.ok) {
    const problem: Problem = body?.detail
      ? body
      : {
          status: response.status,
          detail: `The server answered ${response.status}.`,
          messageKey: 'unknown',
        };
    throw new ApiError(response.status === 412 ? { ...problem, detail: CONFLICT } : problem);
  }
  return { body: body as T, etag: response.headers.get('etag') ?? '' };
}

export const get = async <T>(path: string) => (await call<T>('GET', path)).body;

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
export type Entry = Schemas['Entry'];
export type Progress = Schemas['Progress'];
export type Run = Schemas['Run'];
export type RunFile = Schemas['RunFile'];
/** What one target says about the context's saved metadata. */
export type CheckResult = Schemas['CheckResult'];

/** What an operation of web's API answers when it succeeds. */
export type AnswerOf<Id extends keyof operations> = operations[Id]['responses'] extends {
  200: { content: { 'application/json': infer Body } };
}
  ? Body
  : never;
