import type { PortClient, RetryPolicy } from '@rds/kit';
import type { Callees } from '@rds/ports';
import type { components } from '@rds/contracts/generated/repository';
import type { Logger } from 'pino';
import { FileProgress, SHOWN_UNDER_WAY_FROM } from './file-progress.ts';
import { listSource, noteOf, planTarget, type Capabilities, type SourceFile } from './plan.ts';
import {
  isTransient,
  notCallable,
  PortError,
  portJson,
  repositoryPort,
  storagePort,
  type RepositoryPort,
} from './port-calls.ts';
import { draftReport, publishedPart, publishedReport, type ApiRecord } from './reports.ts';
import type {
  Context,
  ResearchManager,
  Run,
  RunFile,
  RunTarget,
  TargetReport,
} from './research-manager.ts';
import { checksum, transfer, type FileRead } from './transfer.ts';

type RecordFile = components['schemas']['RecordFile'];
type ResearchMetadata = components['schemas']['ResearchMetadata'];
type Algorithm = Capabilities['checksum'];

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
  /** The client of a port for one interface, by the name it is registered under. */
  ports: PortClient;
  /** Which ports may be called, for what: checked before a port is called at all. */
  callees: Callees;
  fileRetry: RetryPolicy;
  /** Files of one target in flight at once: small files are dominated by round trips. */
  fileConcurrency: number;
  /** How often the bytes done of a large file under way are recorded. */
  progressIntervalMs: number;
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

/** What the context's target reported in earlier runs. */
const earlierReport = (context: Context, target: RunTarget) =>
  context.targets.find((t) => t.id === target.targetId)?.reported;

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

  /** Carries out every unfinished target, as the run's action says, then ends the run. */
  async run(): Promise<void> {
    const rm = this.deps.researchManager;
    const run = await rm.run(this.contextId, this.runId);
    if (run.state !== 'running') return;
    for (const source of run.sources) this.sourcePorts.set(source.id, source.port);
    const { context } = await rm.context(this.contextId);
    const files = run.action === 'publish-draft' ? { list: [] } : await this.sourceFiles(run);
    for (const target of run.targets) {
      if (target.state === 'done' || target.state === 'failed') continue;
      this.steering.checkpoint();
      if ('refused' in files) await this.failTarget(target, files.refused);
      else
        await this.refusalsFail(target, () =>
          run.action === 'publish-draft'
            ? this.publishDraft(target, context)
            : this.exportTo(target, files.list, context),
        );
    }
    await rm.endRun(this.contextId, this.runId);
  }

  private async sourceFiles(run: Run): Promise<{ list: SourceFile[] } | { refused: string }> {
    const list: SourceFile[] = [];
    for (const source of run.sources) {
      try {
        await this.deps.callees.check(source.port, 'fileStorage');
        list.push(...(await listSource(source, await storagePort(this.deps.ports, source.port))));
      } catch (error) {
        if (notCallable(error)) return { refused: (error as Error).message };
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
  private async refusalsFail(target: RunTarget, work: () => Promise<void>): Promise<void> {
    try {
      await this.deps.callees.check(target.port, 'repository');
      await work();
    } catch (error) {
      if (notCallable(error) || (error instanceof PortError && !isTransient(error))) {
        await this.failTarget(target, (error as Error).message);
      } else {
        throw error;
      }
    }
  }

  private async exportTo(target: RunTarget, all: SourceFile[], context: Context): Promise<void> {
    const rm = this.deps.researchManager;
    const client = await repositoryPort(this.deps.ports, target.port);
    const capabilities = await portJson(target.port, client, 'getCapabilities');
    const plan = await planTarget(all, capabilities, target);
    if ('refused' in plan) return this.failTarget(target, plan.refused);
    const refusal = await this.metadataRefusal(target.port, client, metadataOf(context));
    if (refusal) return this.failTarget(target, refusal);

    // What was published before: this run's own report once it has one, else the context's.
    const before = publishedPart(target.reported ?? earlierReport(context, target));
    const record = await this.draftFor(target, client, context, capabilities, before);
    if (record.state === 'published') return this.finish(target, publishedReport(record));
    const recordId = record.id;
    if (target.state === 'pending') {
      await rm.updateTarget(this.contextId, this.runId, target.targetId, {
        state: 'transferring',
        ...(plan.skipped.length > 0
          ? { note: noteOf(plan.skipped, capabilities, target.port) }
          : {}),
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
    const atTarget = await this.filesAt(target.port, client, recordId);
    await this.removeOthers(target.port, client, recordId, atTarget, plan.files);
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
      const draft = await portJson(target.port, client, 'getRecord', { params: { recordId } });
      return this.finish(target, draftReport(draft, before, true));
    }
    return this.finish(target, publishedReport(await this.publish(target.port, client, recordId)));
  }

  private publish(port: string, client: RepositoryPort, recordId: string): Promise<ApiRecord> {
    return portJson(port, client, 'publishRecord', {
      params: { recordId },
      // Publishing is safe to repeat, says the repository interface.
      idempotent: true,
    });
  }

  /**
   * Publishes, as it is, the draft an earlier export left complete at the target (the `draft`
   * mode); no file is sent. One published meanwhile (at the target's own site) is reported.
   */
  private async publishDraft(target: RunTarget, context: Context): Promise<void> {
    const earlier = earlierReport(context, target);
    if (!earlier?.draftId || !earlier.draftComplete) {
      return this.failTarget(
        target,
        `There is no complete draft at ${target.port} to publish. Export to it again.`,
      );
    }
    const client = await repositoryPort(this.deps.ports, target.port);
    let draft: ApiRecord;
    try {
      draft = await portJson(target.port, client, 'getRecord', {
        params: { recordId: earlier.draftId },
      });
    } catch (error) {
      if (!(error instanceof PortError && error.upstreamStatus === 404)) throw error;
      return this.failTarget(
        target,
        `The draft at ${target.port} is gone (deleted there?). Export to it again.`,
      );
    }
    const published =
      draft.state === 'published' ? draft : await this.publish(target.port, client, draft.id);
    return this.finish(target, publishedReport(published));
  }

  /** Why the target would refuse the metadata, before any draft is opened there. */
  private async metadataRefusal(
    port: string,
    client: RepositoryPort,
    metadata: ResearchMetadata,
  ): Promise<string | undefined> {
    const check = await portJson(port, client, 'checkMetadata', {
      json: metadata,
      idempotent: true,
    });
    if (check.valid) return undefined;
    const findings = check.errors.map((e) => `${e.field}: ${e.detail}`).join('; ');
    return `${port} needs more metadata: ${findings}`;
  }

  private async finish(target: RunTarget, reported: TargetReport) {
    await this.deps.researchManager.updateTarget(this.contextId, this.runId, target.targetId, {
      state: 'done',
      reported,
    });
  }

  /**
   * The draft this run fills: the one it opened before (recorded in the run, so that a job
   * taken up again never opens a second), the one the user named, the one an earlier run of the
   * context left unpublished (cancelled or failed: the files it sent are not sent again), a new
   * version of the record published before (named in the settings, or the one the context's
   * last export published, where the target keeps versions and the settings ask for no new
   * record), or a new record.
   */
  private async draftFor(
    target: RunTarget,
    client: RepositoryPort,
    context: Context,
    capabilities: Capabilities,
    before: TargetReport,
  ): Promise<ApiRecord> {
    const { settings, port } = target;
    const recorded = target.reported?.draftId;
    if (recorded) return portJson(port, client, 'getRecord', { params: { recordId: recorded } });
    const metadata = metadataOf(context);
    const setMetadata = (id: string) =>
      portJson(port, client, 'updateMetadata', { params: { recordId: id }, json: metadata });
    let record = settings.draftId
      ? await portJson(port, client, 'getRecord', { params: { recordId: settings.draftId } })
      : await this.earlierDraft(target, client, context);
    if (record?.state === 'draft') await setMetadata(record.id);
    if (!record) {
      const previous =
        settings.mode === 'new-version'
          ? settings.recordId
          : capabilities.publicationModes.includes('new-version') && !settings.newRecord
            ? before.recordId
            : undefined;
      record = previous
        ? await this.newVersion(port, client, previous)
        : await portJson(port, client, 'createDraft', { json: metadata });
      if (previous) await setMetadata(record.id);
    }
    await this.deps.researchManager.updateTarget(this.contextId, this.runId, target.targetId, {
      reported: draftReport(record, before),
    });
    return record;
  }

  /** The target reuses a pending new version rather than opening a second one. */
  private newVersion(port: string, client: RepositoryPort, recordId: string): Promise<ApiRecord> {
    return portJson(port, client, 'newVersion', {
      params: { recordId },
      idempotent: true,
    });
  }

  /**
   * The draft an earlier run of the context opened at this target and left unpublished, if the
   * target still has it as a draft; the user may have published or deleted it since.
   */
  private async earlierDraft(
    target: RunTarget,
    client: RepositoryPort,
    context: Context,
  ): Promise<ApiRecord | undefined> {
    const draftId = earlierReport(context, target)?.draftId;
    if (!draftId) return undefined;
    try {
      const record = await portJson(target.port, client, 'getRecord', {
        params: { recordId: draftId },
      });
      return record.state === 'draft' ? record : undefined;
    } catch (error) {
      if (error instanceof PortError && error.upstreamStatus === 404) return undefined;
      throw error;
    }
  }

  /** Every file the record holds, complete or not, by key. */
  private async filesAt(
    port: string,
    client: RepositoryPort,
    recordId: string,
  ): Promise<Map<string, RecordFile>> {
    const { files } = await portJson(port, client, 'listFiles', { params: { recordId } });
    return new Map(files.map((f) => [f.key, f]));
  }

  /**
   * Deletes what the record holds and the sources no longer have: the files a new version took
   * over from the one before, a draft's leftovers. First, so that the target's file limit
   * counts only what stays.
   */
  private async removeOthers(
    port: string,
    client: RepositoryPort,
    recordId: string,
    atTarget: Map<string, RecordFile>,
    planned: SourceFile[],
  ): Promise<void> {
    const keys = new Set(planned.map((f) => f.key));
    for (const key of [...atTarget.keys()].filter((k) => !keys.has(k))) {
      this.steering.checkpoint();
      try {
        await portJson(port, client, 'deleteFile', {
          params: { recordId },
          query: { key },
          idempotent: true,
        });
      } catch (error) {
        if (!(error instanceof PortError && error.upstreamStatus === 404)) throw error;
      }
      atTarget.delete(key);
    }
  }

  /**
   * Transfers one file, or keeps the one the target holds when it is proven the same, and
   * records the outcome; answers why it failed, if it did.
   */
  private async exportFile(
    target: RunTarget,
    client: RepositoryPort,
    recordId: string,
    file: RunFile,
    source: SourceFile,
    options: { atTarget: Map<string, RecordFile>; algorithm: Algorithm },
  ): Promise<string | undefined> {
    const rm = this.deps.researchManager;
    const update = (changes: Parameters<ResearchManager['updateFile']>[3]) =>
      rm.updateFile(this.contextId, this.runId, file.id, changes);
    const sourcePort = this.sourcePorts.get(file.sourceId)!;
    const read: FileRead = {
      source: {
        port: sourcePort,
        client: await storagePort(this.deps.ports, sourcePort),
        path: file.path,
        members: source.members,
      },
      size: source.size,
      signal: this.steering.signal,
    };
    let progress: FileProgress | undefined;
    if (source.size >= SHOWN_UNDER_WAY_FROM) {
      await update({ state: 'transferring', size: source.size, bytesDone: 0 });
      progress = new FileProgress(
        (bytesDone) => update({ bytesDone }),
        this.deps.progressIntervalMs,
        this.deps.logger,
      );
      read.meter = progress.meter;
    }
    let outcome: { checksum: string } | PortError;
    try {
      outcome =
        (await this.sameAtTarget(read, source, options)) ??
        (await transfer(
          {
            ...read,
            target: { port: target.port, client, recordId, key: source.key },
            algorithm: options.algorithm,
          },
          this.deps.fileRetry,
        ));
    } catch (error) {
      if (!(error instanceof PortError)) throw error;
      outcome = error;
    } finally {
      await progress?.stop();
    }
    if (outcome instanceof PortError) {
      const reason = outcome.transient
        ? `${outcome.message} Tried several times.`
        : outcome.message;
      await update({ state: 'failed', reason: reason.slice(0, 2000) });
      return reason;
    }
    await update({
      state: 'done',
      size: source.size,
      bytesDone: source.size,
      checksum: outcome.checksum,
    });
    return undefined;
  }

  /**
   * The checksum of the file the target holds under the key, when the source's content is
   * proven the same: a new version's file taken over from the one before, or one uploaded
   * before an interruption cut off its progress write. Sizes only tell files apart; the same
   * size proves nothing.
   */
  private async sameAtTarget(
    read: FileRead,
    source: SourceFile,
    { atTarget, algorithm }: { atTarget: Map<string, RecordFile>; algorithm: Algorithm },
  ): Promise<{ checksum: string } | undefined> {
    const there = atTarget.get(source.key);
    if (there?.status !== 'completed' || there.size !== source.size) return undefined;
    if (!there.checksum?.startsWith(`${algorithm}:`)) return undefined;
    const ours = await this.sourceChecksum(read, source, algorithm);
    return ours === there.checksum ? { checksum: ours } : undefined;
  }

  /**
   * The source's checksum in the target's algorithm: the one the source listed, else the one it
   * tells of the file alone (S3 gives one only there), else computed by reading the content.
   */
  private async sourceChecksum(
    read: FileRead,
    source: SourceFile,
    algorithm: Algorithm,
  ): Promise<string> {
    const inAlgorithm = (value: string | undefined) =>
      value?.startsWith(`${algorithm}:`) ? value : undefined;
    const listed = inAlgorithm(source.checksum);
    if (listed) return listed;
    if (!source.members && !source.checksum) {
      const { port, client, path } = read.source;
      const entry = await portJson(port, client, 'statEntry', {
        query: { path },
      });
      const told = inAlgorithm(entry.checksum);
      if (told) return told;
    }
    return checksum(read, algorithm, this.deps.fileRetry);
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
