import { ProblemError, UpstreamError, type CallOptions, type HttpClient } from '@rds/kit';
import type { components } from '@rds/contracts/generated/research-manager';

type Schemas = components['schemas'];
export type Context = Schemas['Context'];
export type Run = Schemas['Run'];
export type RunTarget = Schemas['RunTarget'];
export type RunFile = Schemas['RunFile'];
export type RunFileChanges = Schemas['RunFileChanges'];
export type RunTargetChanges = Schemas['RunTargetChanges'];
export type Source = Schemas['Source'];
export type TargetReport = Schemas['TargetReport'];

export interface NewRunFile {
  targetId: string;
  sourceId: string;
  path: string;
  size?: number;
}

// research-manager takes at most this many files per registration.
const REGISTRATION_BATCH = 1000;

/** research-manager as the exporter uses it: contexts read, runs started, advanced and ended. */
export class ResearchManager {
  constructor(private readonly client: HttpClient) {}

  async context(contextId: string): Promise<{ context: Context; etag: string }> {
    const { body, headers } = await this.send<Context>({ path: `/contexts/${contextId}` });
    return { context: body, etag: String(headers.etag) };
  }

  async startRun(
    contextId: string,
    etag: string,
    start: { action?: Run['action']; targetIds?: string[] } = {},
  ): Promise<Run> {
    return this.json<Run>({
      method: 'POST',
      path: `/contexts/${contextId}/runs`,
      json: start,
      headers: { 'if-match': etag },
    });
  }

  run(contextId: string, runId: string): Promise<Run> {
    return this.json<Run>({ path: runPath(contextId, runId) });
  }

  async failedFiles(contextId: string, runId: string, limit: number): Promise<RunFile[]> {
    const page = await this.json<{ files: RunFile[] }>({
      path: `${runPath(contextId, runId)}/files`,
      query: { state: 'failed', limit },
    });
    return page.files;
  }

  /** Registers the files (again: registering is idempotent) and answers them with their state. */
  async registerFiles(contextId: string, runId: string, files: NewRunFile[]): Promise<RunFile[]> {
    const registered: RunFile[] = [];
    for (let i = 0; i < files.length; i += REGISTRATION_BATCH) {
      const page = await this.json<{ files: RunFile[] }>({
        method: 'POST',
        path: `${runPath(contextId, runId)}/files`,
        json: { files: files.slice(i, i + REGISTRATION_BATCH) },
        idempotent: true,
      });
      registered.push(...page.files);
    }
    return registered;
  }

  updateFile(
    contextId: string,
    runId: string,
    fileId: string,
    changes: RunFileChanges,
  ): Promise<RunFile> {
    return this.json<RunFile>({
      method: 'PATCH',
      path: `${runPath(contextId, runId)}/files/${fileId}`,
      json: changes,
      // Each change sets values, never adds to them: repeating one is harmless.
      idempotent: true,
    });
  }

  updateTarget(
    contextId: string,
    runId: string,
    targetId: string,
    changes: RunTargetChanges,
  ): Promise<RunTarget> {
    return this.json<RunTarget>({
      method: 'PATCH',
      path: `${runPath(contextId, runId)}/targets/${targetId}`,
      json: changes,
      idempotent: true,
    });
  }

  /** Ends a run: `cancelled` when the user stopped it, so that what was not sent is not failed. */
  endRun(
    contextId: string,
    runId: string,
    reason?: string,
    options: { cancelled?: boolean } = {},
  ): Promise<Run> {
    return this.json<Run>({
      method: 'POST',
      path: `${runPath(contextId, runId)}/end`,
      json: { ...(reason ? { reason } : {}), ...(options.cancelled ? { cancelled: true } : {}) },
    });
  }

  private async json<T>(call: CallOptions): Promise<T> {
    return (await this.send<T>(call)).body;
  }

  /**
   * research-manager's refusals (4xx) speak to the user and are passed on as they are; its
   * failures are an upstream's.
   */
  private async send<T>(call: CallOptions): Promise<{ body: T; headers: Record<string, unknown> }> {
    const response = await this.client.request(call);
    if (response.status >= 200 && response.status <= 299) {
      return { body: (await response.body.json()) as T, headers: response.headers };
    }
    if (response.status >= 500 || response.status === 429) {
      await response.body.dump();
      throw new UpstreamError('research-manager', response.status);
    }
    const problem = (await response.body.json().catch(() => ({}))) as Partial<Problem>;
    throw new ProblemError(response.status, {
      detail: problem.detail ?? `research-manager answered ${response.status}.`,
      messageKey: problem.messageKey ?? `request.${response.status}`,
      ...(problem.args ? { args: problem.args } : {}),
    });
  }
}

interface Problem {
  detail: string;
  messageKey: string;
  args?: Record<string, unknown>;
}

const runPath = (contextId: string, runId: string) => `/contexts/${contextId}/runs/${runId}`;

/** research-manager refused because the run has ended (ended by someone else, or cancelled). */
export const runEnded = (error: unknown) =>
  error instanceof ProblemError && error.statusCode === 409;
