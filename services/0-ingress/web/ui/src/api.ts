/** The UI's calls to web's API: JSON in and out, the CSRF token on changes, problems as errors. */

export interface Problem {
  status: number;
  detail: string;
  messageKey: string;
  errors?: { detail: string; pointer: string }[];
}

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

// The shapes the screens use, as the API answers them.
export interface Session {
  user: { id: string; name: string };
  tenant: string;
  csrfToken: string;
  signIn: 'oidc' | 'local';
}

export interface ConnectionState {
  servicename: string;
  state: 'connected' | 'needs-reconnection' | 'not-connected';
  userId?: string;
}

export interface CatalogueEntry {
  servicename: string;
  displayName: string;
  description?: string;
  infoUrl?: string;
  implements: ('fileStorage' | 'repository')[];
  connect: { method: 'oauth2' | 'credentials' | 'none'; userId?: boolean; password?: boolean };
  connection: ConnectionState;
}

export type SourceSettings = { folder: string } | { paths: string[] };
export interface TargetSettings {
  mode: 'draft' | 'publish' | 'new-version';
  recordId?: string;
  /** A new record rather than a new version of the one published before. */
  newRecord?: boolean;
  folders?: 'encode-paths' | 'zip-folders';
}

/** What a target reported back about its record after an export. */
export interface Reported {
  recordId?: string;
  draftId?: string;
  recordUrl?: string;
  doi?: string;
  version?: string;
  /** A draft left at the target for its owner, where they see it. */
  draftUrl?: string;
  /** The draft holds every file: it can be published as it is. */
  draftComplete?: boolean;
}

/** What an export run does: send the files, or publish the draft an earlier export left. */
export type RunAction = 'export' | 'publish-draft';

export interface Context {
  id: string;
  name: string;
  description: string;
  status: 'draft' | 'ready' | 'exporting' | 'exported' | 'failed';
  sources: { id: string; port: string; settings: SourceSettings }[];
  targets: {
    id: string;
    port: string;
    settings: TargetSettings;
    reported?: Reported;
  }[];
  metadata?: Record<string, unknown>;
  createdAt: string;
  updatedAt: string;
  deletedAt?: string;
}

export interface Entry {
  name: string;
  path: string;
  type: 'file' | 'folder';
  size?: number;
}

export interface Progress {
  runId: string;
  contextId: string;
  action?: RunAction;
  state: 'running' | 'done' | 'failed' | 'cancelled';
  reason?: string;
  percent: number;
  files: { total: number; done: number; failed: number };
  bytes: { total: number; done: number };
  /** Bytes sent per second, recently. */
  bytesPerSecond?: number;
  currentFiles: { targetId: string; path: string; bytesDone: number; size?: number }[];
  errors: { targetId: string; path?: string; reason: string }[];
  targets?: {
    targetId: string;
    port: string;
    state: string;
    reason?: string;
    recordUrl?: string;
    doi?: string;
    version?: string;
    draftUrl?: string;
    /** What was left out, and why. */
    note?: string;
  }[];
}

export interface Run {
  id: string;
  state: 'running' | 'done' | 'failed' | 'cancelled';
  reason?: string;
  targets: {
    targetId: string;
    port: string;
    state: string;
    reason?: string;
    reported?: Reported;
  }[];
  totals: {
    files: number;
    filesDone: number;
    filesFailed: number;
    bytes: number;
    bytesDone: number;
  };
  startedAt: string;
  endedAt?: string;
}
