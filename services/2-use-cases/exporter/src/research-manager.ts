import { ProblemError, type ContractClient } from '@rds/kit';
import type { components, operations } from '@rds/contracts/generated/research-manager';

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

/**
 * research-manager as the exporter uses it: contexts read, runs started, advanced and ended. Its
 * refusals (4xx) speak to the user and are passed on as they are; its failures are an upstream's.
 */
export class ResearchManager {
  constructor(private readonly client: ContractClient<operations>) {}

  async context(contextId: string): Promise<{ context: Context; etag: string }> {
    const { body, headers } = await this.client.call('getContext', { params: { contextId } });
    return { context: body, etag: String(headers.etag) };
  }

  async startRun(
    contextId: string,
    etag: string,
    start: { action?: Run['action']; targetIds?: string[] } = {},
  ): Promise<Run> {
    const { body } = await this.client.call('startRun', {
      params: { contextId },
      json: start,
      headers: { 'if-match': etag },
    });
    return body;
  }

  async run(contextId: string, runId: string): Promise<Run> {
    return (await this.client.call('getRun', { params: { contextId, runId } })).body;
  }

  async failedFiles(contextId: string, runId: string, limit: number): Promise<RunFile[]> {
    const { body } = await this.client.call('listRunFiles', {
      params: { contextId, runId },
      query: { state: ['failed'], limit },
    });
    return body.files;
  }

  /** Registers the files (again: registering is idempotent) and answers them with their state. */
  async registerFiles(contextId: string, runId: string, files: NewRunFile[]): Promise<RunFile[]> {
    const registered: RunFile[] = [];
    for (let i = 0; i < files.length; i += REGISTRATION_BATCH) {
      const { body } = await this.client.call('addRunFiles', {
        params: { contextId, runId },
        json: { files: files.slice(i, i + REGISTRATION_BATCH) },
        idempotent: true,
      });
      registered.push(...body.files);
    }
    return registered;
  }

  async updateFile(
    contextId: string,
    runId: string,
    fileId: string,
    changes: RunFileChanges,
  ): Promise<RunFile> {
    const { body } = await this.client.call('updateRunFile', {
      params: { contextId, runId, fileId },
      json: changes,
      // Each change sets values, never adds to them: repeating one is harmless.
      idempotent: true,
    });
    return body;
  }

  async updateTarget(
    contextId: string,
    runId: string,
    targetId: string,
    changes: RunTargetChanges,
  ): Promise<RunTarget> {
    const { body } = await this.client.call('updateRunTarget', {
      params: { contextId, runId, targetId },
      json: changes,
      idempotent: true,
    });
    return body;
  }

  /** Ends a run: `cancelled` when the user stopped it, so that what was not sent is not failed. */
  async endRun(
    contextId: string,
    runId: string,
    reason?: string,
    options: { cancelled?: boolean } = {},
  ): Promise<Run> {
    const { body } = await this.client.call('endRun', {
      params: { contextId, runId },
      json: { ...(reason ? { reason } : {}), ...(options.cancelled ? { cancelled: true } : {}) },
    });
    return body;
  }
}

/** research-manager refused because the run has ended (ended by someone else, or cancelled). */
export const runEnded = (error: unknown) =>
  error instanceof ProblemError && error.statusCode === 409;
