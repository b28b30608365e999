import type { components } from '@rds/contracts/generated/exporter';
import type { ResearchManager, Run, RunFile, TargetReport } from './research-manager.ts';

export type Progress = components['schemas']['Progress'];

// A progress lists this many failed files at most; the run has them all.
const ERRORS_LISTED = 20;

/** Where a run stands, as the UI shows it. */
export function progressOf(run: Run, failedFiles: RunFile[], now = Date.now()): Progress {
  const { totals } = run;
  const elapsedS = Math.max(
    ((run.endedAt ? Date.parse(run.endedAt) : now) - Date.parse(run.startedAt)) / 1000,
    0.001,
  );
  const share =
    totals.bytes > 0
      ? totals.bytesDone / totals.bytes
      : totals.files > 0
        ? totals.filesDone / totals.files
        : 0;
  return {
    runId: run.id,
    contextId: run.contextId,
    action: run.action,
    state: run.state,
    ...(run.reason ? { reason: run.reason } : {}),
    percent: run.state === 'done' ? 100 : Math.min(100, Math.floor(share * 1000) / 10),
    files: { total: totals.files, done: totals.filesDone, failed: totals.filesFailed },
    bytes: { total: totals.bytes, done: totals.bytesDone },
    bytesPerSecond: Math.round(totals.bytesDone / elapsedS),
    currentFiles: run.currentFiles.map((file) => ({
      targetId: file.targetId,
      path: file.path,
      bytesDone: file.bytesDone,
      ...(file.size === undefined ? {} : { size: file.size }),
    })),
    errors: [
      ...run.targets.flatMap((target) =>
        target.state === 'failed' && target.reason
          ? [{ targetId: target.targetId, reason: target.reason }]
          : [],
      ),
      ...failedFiles.map((file) => ({
        targetId: file.targetId,
        path: file.path,
        reason: file.reason ?? 'failed',
      })),
    ],
    targets: run.targets.map((target) => ({
      targetId: target.targetId,
      port: target.port,
      state: target.state,
      ...(target.reason ? { reason: target.reason } : {}),
      ...(target.note ? { note: target.note } : {}),
      ...(target.state === 'done' ? outcomeOf(target.reported ?? {}) : {}),
    })),
    startedAt: run.startedAt,
    ...(run.endedAt ? { endedAt: run.endedAt } : {}),
  };
}

/**
 * What a target done has to show: the draft left there, or the version published (a report
 * made while a draft is filled also names the version published before it, which is not this
 * run's outcome).
 */
function outcomeOf(reported: TargetReport): Partial<NonNullable<Progress['targets']>[number]> {
  if (reported.draftId) return reported.draftUrl ? { draftUrl: reported.draftUrl } : {};
  return {
    ...(reported.recordUrl ? { recordUrl: reported.recordUrl } : {}),
    ...(reported.doi ? { doi: reported.doi } : {}),
    ...(reported.version ? { version: reported.version } : {}),
  };
}

/** Reads a run's progress from research-manager, which keeps it: nothing is kept here. */
export async function readProgress(
  researchManager: ResearchManager,
  contextId: string,
  runId: string,
): Promise<Progress> {
  const run = await researchManager.run(contextId, runId);
  const failed =
    run.totals.filesFailed > 0
      ? await researchManager.failedFiles(contextId, runId, ERRORS_LISTED)
      : [];
  return progressOf(run, failed);
}
