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
}

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
    throw new ApiError(
      body?.detail
        ? body
        : {
            status: response.status,
            detail: `The server answered ${response.status}.`,
            messageKey: 'unknown',
          },
    );
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
  implements: ('fileStorage' | 'metadata')[];
  connect: { method: 'oauth2' | 'credentials' | 'none'; userId?: boolean; password?: boolean };
  connection: ConnectionState;
}

export type SourceSettings = { folder: string } | { paths: string[] };
export interface TargetSettings {
  mode: 'draft' | 'publish' | 'new-version';
  recordId?: string;
  folders?: 'encode-paths' | 'zip-folders';
}

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
    reported?: { recordId?: string; recordUrl?: string; doi?: string; version?: string };
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
  state: 'running' | 'done' | 'failed' | 'cancelled';
  reason?: string;
  percent: number;
  files: { total: number; done: number; failed: number };
  bytes: { total: number; done: number };
  currentFiles: { path: string; bytesDone: number; size?: number }[];
  errors: { targetId: string; path?: string; reason: string }[];
  targets?: {
    targetId: string;
    port: string;
    state: string;
    reason?: string;
    recordUrl?: string;
    doi?: string;
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
    reported?: { doi?: string; recordUrl?: string };
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
