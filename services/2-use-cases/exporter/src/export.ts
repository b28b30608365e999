import type { HttpClient } from '@rds/kit';
import type { components } from '@rds/contracts/generated/repository';
import type { Logger } from 'pino';
import { listSource, planTarget, type Capabilities, type SourceFile } from './plan.ts';
import { isTransient, PortError, portJson } from './port-calls.ts';
import type {
  Context,
  ResearchManager,
  Run,
  RunFile,
  RunTarget,
  TargetReport,
} from './research-manager.ts';
import { transfer, type RetryPolicy } from './transfer.ts';

type ApiRecord = components['schemas']['Record'];
type RecordFile = components['schemas']['RecordFile'];
type ResearchMetadata = components['schemas']['ResearchMetadata'];

/** Thrown at a file boundary once the user asked to cancel. */
export class Cancelled extends Error {
  constructor() {
    super('Cancelled by the user.');
  }
}

/** How a worker steers the export it runs. */
export interface Steering {
  signal: AbortSignal;
  /** Throws {@link Cancelled} when the user asked to cancel, or the abort reason when stopping. */
  checkpoint: () => void;
}

export interface ExportDeps {
  researchManager: ResearchManager;
  /** The client of a port, by the name it is registered under. */
  port: (name: string) => HttpClient;
  fileRetry: RetryPolicy;
  /** Files of one target in flight at once: small files are dominated by round trips. */
  fileConcurrency: number;
  logger: Pick<Logger, 'info' | 'warn'>;
}

/**
 * What the targets receive: the metadata the user saved, with the context's name and
 * description standing in for a title and description not given there.
 */
function metadataOf(context: Context): ResearchMetadata {
  const saved = context.metadata ?? {};
  const description = saved.description ?? context.description.trim();
  return {
    ...saved,
    title: saved.title ?? context.name,
    ...(description ? { description } : {}),
  };
}

interface MetadataCheck {
  valid: boolean;
  errors: { field: string; detail: string }[];
}

const DOI = /^10\.\d{4,9}\/\S+$/;
const WEB_URL = /^https?:\/\//;

/** What research-manager keeps of a record: only values of the shape its contract allows. */
function reportOf(record: ApiRecord, published: boolean): TargetReport {
  const url = record.links?.html;
  return {
    ...(published ? { recordId: record.id } : { draftId: record.id }),
    ...(record.doi && DOI.test(record.doi) ? { doi: record.doi } : {}),
    ...(url && WEB_URL.test(url) ? { recordUrl: url } : {}),
    ...(record.version ? { version: record.version.slice(0, 100) } : {}),
  };
}

/**
 * Files this large are recorded as under way before they move, so that progress shows them.
 * A smaller one passes within a progress interval at any rate above 1 MB/s, so that write
 * would show little and cost much of its CPU (bench/transfer): it is recorded once, when done.
 * Resuming needs no more: a file not done is taken up again, and one the target has whole is
 * not sent twice.
 */
const SHOWN_UNDER_WAY_FROM = 1024 ** 2;

/** One export run, carried out for its user; safe to run again after any interruption. */
export class Export {
  /** The port of each source of the run, by source id. */
  private readonly sourcePorts = new Map<string, string>();

  constructor(
    private readonly deps: ExportDeps,
    private readonly contextId: string,
    private readonly runId: string,
    private readonly steering: Steering,
  ) {}

  /** Exports to every unfinished target, then ends the run. */
  async run(): Promise<void> {
    const rm = this.deps.researchManager;
    const run = await rm.run(this.contextId, this.runId);
    if (run.state !== 'running') return;
    for (const source of run.sources) this.sourcePorts.set(source.id, source.port);
    const { context } = await rm.context(this.contextId);
    const files = await this.sourceFiles(run);
    for (const target of run.targets) {
      if (target.state === 'done' || target.state === 'failed') continue;
      this.steering.checkpoint();
      if ('refused' in files) await this.failTarget(target, files.refused);
      else await this.exportTarget(target, files.list, context);
    }
    await rm.endRun(this.contextId, this.runId);
  }

  private async sourceFiles(run: Run): Promise<{ list: SourceFile[] } | { refused: string }> {
    const list: SourceFile[] = [];
    for (const source of run.sources) {
      try {
        list.push(...(await listSource(source, this.deps.port(source.port))));
      } catch (error) {
        if (error instanceof PortError && !error.transient) {
          return { refused: `The files of ${source.port} could not be listed: ${error.message}` };
        }
        throw error;
      }
    }
    return { list };
  }

  private async failTarget(target: RunTarget, reason: string): Promise<void> {
    this.deps.logger.info({ targetId: target.targetId, reason }, 'target failed');
    await this.deps.researchManager.updateTarget(this.contextId, this.runId, target.targetId, {
      state: 'failed',
      reason: reason.slice(0, 2000),
    });
  }

  /** A target's refusal fails that target; a transient failure is left for the job to retry. */
  private async exportTarget(target: RunTarget, all: SourceFile[], context: Context) {
    try {
      await this.exportTo(target, all, context);
    } catch (error) {
      if (error instanceof PortError && !isTransient(error)) {
        await this.failTarget(target, error.message);
      } else {
        throw error;
      }
    }
  }

  private async exportTo(target: RunTarget, all: SourceFile[], context: Context): Promise<void> {
    const rm = this.deps.researchManager;
    const client = this.deps.port(target.port);
    const capabilities = await portJson<Capabilities>(target.port, client, {
      path: '/capabilities',
    });
    const plan = await planTarget(all, capabilities, target);
    if ('refused' in plan) return this.failTarget(target, plan.refused);
    const refusal = await this.metadataRefusal(target.port, client, metadataOf(context));
    if (refusal) return this.failTarget(target, refusal);

    const record = await this.draftFor(target, client, context);
    if (record.state === 'published') return this.finishTarget(target, record, true);
    const recordId = record.id;
    if (target.state === 'pending') {
      await rm.updateTarget(this.contextId, this.runId, target.targetId, {
        state: 'transferring',
      });
    }
    const registered = await rm.registerFiles(
      this.contextId,
      this.runId,
      plan.files.map(({ sourceId, path, size }) => ({
        targetId: target.targetId,
        sourceId,
        path,
        size,
      })),
    );
    const atTarget = await this.completedFiles(target.port, client, recordId);
    const planned = new Map(plan.files.map((f) => [`${f.sourceId}\n${f.path}`, f]));
    const failures: string[] = [];
    await inParallel(registered, this.deps.fileConcurrency, async (file) => {
      if (file.state === 'done') return;
      if (file.state === 'failed') {
        failures.push(`${file.path}: ${file.reason ?? 'failed'}`);
        return;
      }
      this.steering.checkpoint();
      const source = planned.get(`${file.sourceId}\n${file.path}`)!;
      const failure = await this.exportFile(target, client, recordId, file, source, {
        atTarget,
        algorithm: capabilities.checksum,
      });
      if (failure) failures.push(`${file.path}: ${failure}`);
    });
    if (failures.length > 0) {
      return this.failTarget(
        target,
        `${failures.length} of ${registered.length} files could not be exported; ${failures[0]}`,
      );
    }
    if (target.settings.mode === 'draft') {
      const draft = await portJson<ApiRecord>(target.port, client, {
        path: `/records/${encodeURIComponent(recordId)}`,
      });
      return this.finishTarget(target, draft, false);
    }
    const published = await portJson<ApiRecord>(target.port, client, {
      method: 'POST',
      path: `/records/${encodeURIComponent(recordId)}/publish`,
      // Publishing is safe to repeat, says the repository interface.
      idempotent: true,
    });
    return this.finishTarget(target, published, true);
  }

  /** Why the target would refuse the metadata, before any draft is opened there. */
  private async metadataRefusal(
    port: string,
    client: HttpClient,
    metadata: ResearchMetadata,
  ): Promise<string | undefined> {
    const check = await portJson<MetadataCheck>(port, client, {
      method: 'POST',
      path: '/metadata-check',
      json: metadata,
      idempotent: true,
    });
    if (check.valid) return undefined;
    const findings = check.errors.map((e) => `${e.field}: ${e.detail}`).join('; ');
    return `${port} needs more metadata: ${findings}`;
  }

  private async finishTarget(target: RunTarget, record: ApiRecord, published: boolean) {
    await this.deps.researchManager.updateTarget(this.contextId, this.runId, target.targetId, {
      state: 'done',
      reported: reportOf(record, published),
    });
  }

  /**
   * The draft this run fills: the one it opened before (recorded in the run, so that a job
   * taken up again never opens a second), the one the user named, the one an earlier run of the
   * context left unpublished (cancelled or failed: the files it sent are not sent again), or a
   * new one.
   */
  private async draftFor(
    target: RunTarget,
    client: HttpClient,
    context: Context,
  ): Promise<ApiRecord> {
    const { settings } = target;
    const recorded = target.reported?.draftId;
    const metadata = metadataOf(context);
    const named = recorded ?? settings.draftId;
    const earlier = named ? undefined : await this.earlierDraft(target, client, context);
    let record: ApiRecord;
    if (earlier) {
      record = earlier;
      await portJson(target.port, client, {
        method: 'PUT',
        path: `/records/${encodeURIComponent(earlier.id)}/metadata`,
        json: metadata,
      });
    } else if (named) {
      record = await portJson<ApiRecord>(target.port, client, {
        path: `/records/${encodeURIComponent(named)}`,
      });
      if (!recorded && record.state === 'draft') {
        await portJson(target.port, client, {
          method: 'PUT',
          path: `/records/${encodeURIComponent(named)}/metadata`,
          json: metadata,
        });
      }
    } else if (settings.mode === 'new-version') {
      // The target reuses a pending new version rather than opening a second one.
      record = await portJson<ApiRecord>(target.port, client, {
        method: 'POST',
        path: `/records/${encodeURIComponent(settings.recordId!)}/versions`,
        idempotent: true,
      });
      await portJson(target.port, client, {
        method: 'PUT',
        path: `/records/${encodeURIComponent(record.id)}/metadata`,
        json: metadata,
      });
    } else {
      record = await portJson<ApiRecord>(target.port, client, {
        method: 'POST',
        path: '/records',
        json: metadata,
      });
    }
    if (!recorded) {
      await this.deps.researchManager.updateTarget(this.contextId, this.runId, target.targetId, {
        reported: { draftId: record.id },
      });
    }
    return record;
  }

  /**
   * The draft an earlier run of the context opened at this target and left unpublished, if the
   * target still has it as a draft; the user may have published or deleted it since.
   */
  private async earlierDraft(
    target: RunTarget,
    client: HttpClient,
    context: Context,
  ): Promise<ApiRecord | undefined> {
    const draftId = context.targets.find((t) => t.id === target.targetId)?.reported?.draftId;
    if (!draftId) return undefined;
    try {
      const record = await portJson<ApiRecord>(target.port, client, {
        path: `/records/${encodeURIComponent(draftId)}`,
      });
      return record.state === 'draft' ? record : undefined;
    } catch (error) {
      if (error instanceof PortError && error.status === 404) return undefined;
      throw error;
    }
  }

  private async completedFiles(
    port: string,
    client: HttpClient,
    recordId: string,
  ): Promise<Map<string, RecordFile>> {
    const { files } = await portJson<{ files: RecordFile[] }>(port, client, {
      path: `/records/${encodeURIComponent(recordId)}/files`,
    });
    return new Map(files.filter((f) => f.status === 'completed').map((f) => [f.key, f]));
  }

  /** Transfers one file and records the outcome; answers why it failed, if it did. */
  private async exportFile(
    target: RunTarget,
    client: HttpClient,
    recordId: string,
    file: RunFile,
    source: SourceFile,
    options: { atTarget: Map<string, RecordFile>; algorithm: 'md5' | 'sha256' },
  ): Promise<string | undefined> {
    const rm = this.deps.researchManager;
    const update = (changes: Parameters<ResearchManager['updateFile']>[3]) =>
      rm.updateFile(this.contextId, this.runId, file.id, changes);
    // Uploaded before a crash cut off the progress write: the target has it, whole.
    const there = options.atTarget.get(source.key);
    if (there && there.size === source.size) {
      await update({
        state: 'done',
        size: source.size,
        bytesDone: source.size,
        ...(there.checksum ? { checksum: there.checksum } : {}),
      });
      return undefined;
    }
    if (source.size >= SHOWN_UNDER_WAY_FROM) {
      await update({ state: 'transferring', size: source.size, bytesDone: 0 });
    }
    const sourcePort = this.sourcePorts.get(file.sourceId)!;
    try {
      const done = await transfer(
        {
          source: {
            port: sourcePort,
            client: this.deps.port(sourcePort),
            path: file.path,
            members: source.members,
          },
          target: { port: target.port, client, recordId, key: source.key },
          size: source.size,
          algorithm: options.algorithm,
          signal: this.steering.signal,
        },
        this.deps.fileRetry,
      );
      await update({
        state: 'done',
        size: source.size,
        bytesDone: done.bytes,
        checksum: done.checksum,
      });
      return undefined;
    } catch (error) {
      if (!(error instanceof PortError)) throw error;
      const reason = error.transient ? `${error.message} Tried several times.` : error.message;
      await update({ state: 'failed', reason: reason.slice(0, 2000) });
      return reason;
    }
  }
}

/**
 * Runs `work` on every item, at most `limit` at a time. The first error stops taking up new
 * items and is thrown once the items under way have settled, so nothing is left running.
 */
async function inParallel<T>(items: T[], limit: number, work: (item: T) => Promise<void>) {
  let next = 0;
  let failed = false;
  const lane = async () => {
    while (!failed && next < items.length) {
      const item = items[next++]!;
      await work(item).catch((error: unknown) => {
        failed = true;
        throw error;
      });
    }
  };
  const lanes = await Promise.allSettled(Array.from({ length: limit }, lane));
  const rejected = lanes.find((settled) => settled.status === 'rejected');
  if (rejected) throw rejected.reason;
}
