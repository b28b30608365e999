import { useEffect, useRef, useState } from 'react';
import {
  answer,
  api,
  bodyOf,
  messageOf,
  type CheckResult,
  type Context,
  type Progress,
  type RunAction,
} from './api.ts';
import { focusField } from './fields.ts';
import { targetSays, withDisplayNames, type Catalogue } from './names.ts';
import { RecordSummary, type Citable } from './Record.tsx';

/** How often a page not following an export looks for one started elsewhere. */
const ATTACH_EVERY_MS = 3000;

/** Something a target needs changed before the context can go out, at its field. */
interface Blocker {
  key: string;
  text: string;
  field?: string;
}

/** What keeps the context from being exported, in the order to fix it. */
function blockersOf(context: Context, checks: CheckResult[], catalogue: Catalogue): Blocker[] {
  const blockers: Blocker[] = [];
  if (context.sources.length === 0) blockers.push({ key: 'source', text: 'Add a source.' });
  if (context.targets.length === 0) blockers.push({ key: 'target', text: 'Add a target.' });
  for (const result of checks) {
    const name = catalogue.nameOf(result.target);
    if (result.problem)
      blockers.push({
        key: result.target,
        text: `${name} could not be asked: ${withDisplayNames(result.problem.detail, catalogue)}`,
      });
    for (const error of result.errors)
      blockers.push({
        key: `${result.target}${error.field}${error.detail}`,
        text: targetSays(name, error.field, withDisplayNames(error.detail, catalogue)),
        field: error.field,
      });
  }
  return blockers;
}

/**
 * Starts an export and follows it live (server-sent events): progress, errors, cancel, results.
 * A page opened while an export runs follows that export.
 */
export function ExportPanel({
  context,
  checks,
  catalogue,
  unsaved,
  prepare,
  onEnded,
}: {
  context: Context;
  /** Each target's check of the saved metadata; undefined while they are asked. */
  checks: CheckResult[] | undefined;
  catalogue: Catalogue;
  /** The metadata on screen differs from what is saved: exporting saves it first. */
  unsaved: boolean;
  /** Makes the context ready to export (saves pending changes); answers why not, if not. */
  prepare: () => Promise<string | undefined>;
  onEnded: (progress: Progress) => void;
}) {
  const [progress, setProgress] = useState<Progress>();
  const [failure, setFailure] = useState('');
  /** The cancel was accepted; the files in flight finish first. */
  const [cancelling, setCancelling] = useState(false);
  const stream = useRef<EventSource | undefined>(undefined);
  useEffect(() => () => stream.current?.close(), []);

  const follow = (runId: string) => {
    stream.current?.close();
    const events = new EventSource(
      `/api/exports/${runId}/events?contextId=${encodeURIComponent(context.id)}`,
    );
    stream.current = events;
    events.addEventListener('progress', (event) => setProgress(JSON.parse(event.data)));
    events.addEventListener('end', (event) => {
      const ended = JSON.parse(event.data) as Progress;
      setProgress(ended);
      events.close();
      onEnded(ended);
    });
  };
  const following = () =>
    stream.current !== undefined && stream.current.readyState !== EventSource.CLOSED;
  /** Follows the context's export under way, if there is one and it is not followed yet. */
  const attach = () =>
    bodyOf(
      api.GET('/api/contexts/{contextId}/runs', {
        params: { path: { contextId: context.id }, query: { limit: 1 } },
      }),
    ).then(
      ({ runs }) => runs[0]?.state === 'running' && !following() && follow(runs[0].id),
      () => undefined,
    );
  // An export under way when the page opens (a reload) is followed like one started here...
  useEffect(() => {
    if (context.status === 'exporting' && !following()) void attach();
  }, [context.id, context.status]);
  // ...and one started elsewhere (another tab or device) is noticed within seconds.
  useEffect(() => {
    const timer = setInterval(() => {
      if (!following() && document.visibilityState === 'visible') void attach();
    }, ATTACH_EVERY_MS);
    return () => clearInterval(timer);
  }, [context.id]);

  const blockers = checks ? blockersOf(context, checks, catalogue) : [];
  const start = async (action: RunAction = 'export') => {
    setFailure('');
    setCancelling(false);
    try {
      // A draft is published as it is: nothing of what is on screen goes with it.
      const refused = action === 'export' ? await prepare() : undefined;
      if (refused) return setFailure(refused);
      setProgress(undefined);
      const { body } = await answer(
        api.POST('/api/exports', { body: { contextId: context.id, action } }),
      );
      follow(body.runId);
    } catch (error) {
      setFailure(withDisplayNames(messageOf(error), catalogue));
    }
  };
  const cancel = async () => {
    try {
      await answer(
        api.POST('/api/exports/{runId}/cancel', {
          params: { path: { runId: progress!.runId } },
        }),
      );
      setCancelling(true);
    } catch (error) {
      setFailure(messageOf(error));
    }
  };

  const running = progress?.state === 'running' || context.status === 'exporting';
  // What is saved is checked; changes on screen are saved, and checked, as the export starts.
  const blocked = unsaved
    ? context.sources.length === 0 || context.targets.length === 0
    : !checks || blockers.length > 0;
  return (
    <section className="panel" aria-labelledby="export-title">
      <h2 id="export-title">Export</h2>
      {unsaved ? (
        <p>Your changes to the metadata are saved first.</p>
      ) : (
        blockers.length > 0 && !running && <Blockers blockers={blockers} />
      )}
      <div className="row">
        <button type="button" onClick={() => start()} disabled={blocked || running}>
          {unsaved ? 'Save and export' : 'Export now'}
        </button>
        {progress?.state === 'running' && (
          <button type="button" className="danger" onClick={cancel} disabled={cancelling}>
            Cancel export
          </button>
        )}
      </div>
      {!running && (
        <DraftsLeft
          context={context}
          catalogue={catalogue}
          onPublish={() => start('publish-draft')}
        />
      )}
      {failure && (
        <p role="alert" className="error">
          {failure}
        </p>
      )}
      {progress && (
        <ProgressView
          progress={progress}
          cancelling={cancelling}
          catalogue={catalogue}
          metadata={context.metadata ?? {}}
        />
      )}
    </section>
  );
}

/** Drafts an export left complete at their targets, for the researcher to publish from here. */
function DraftsLeft({
  context,
  catalogue,
  onPublish,
}: {
  context: Context;
  catalogue: Catalogue;
  onPublish: () => void;
}) {
  const drafts = context.targets.filter((t) => t.reported?.draftComplete);
  if (drafts.length === 0) return null;
  return (
    <div className="drafts" role="group" aria-label="Drafts waiting to be published">
      <ul>
        {drafts.map((target) => {
          const name = catalogue.nameOf(target.port);
          return (
            <li key={target.id}>
              A draft is waiting in {name}
              {target.reported?.draftUrl && (
                <>
                  {': '}
                  <a href={target.reported.draftUrl}>look at the draft in {name}</a>
                </>
              )}
              .
            </li>
          );
        })}
      </ul>
      <button type="button" onClick={onPublish}>
        Publish the draft
      </button>
    </div>
  );
}

/** What to fix before exporting, each a way to the field it is about. */
function Blockers({ blockers }: { blockers: Blocker[] }) {
  return (
    <div className="blockers" role="group" aria-labelledby="blockers-title">
      <p id="blockers-title">
        <strong>Before you can export, fix:</strong>
      </p>
      <ul>
        {blockers.map((blocker) => (
          <li key={blocker.key}>
            {blocker.field !== undefined ? (
              <button type="button" className="link" onClick={() => focusField(blocker.field!)}>
                {blocker.text}
              </button>
            ) : (
              blocker.text
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}

const STATE_TEXT = {
  running: 'Exporting…',
  done: 'Export finished',
  failed: 'Export failed',
  cancelled: 'Export cancelled',
};

/**
 * Each problem once: a target's own line only when none of its files is listed, since a target
 * that failed for its files says again what their lines say.
 */
export function problemsOf(errors: Progress['errors']): Progress['errors'] {
  const withFiles = new Set(errors.filter((e) => e.path).map((e) => e.targetId));
  return errors.filter((e) => e.path || !withFiles.has(e.targetId));
}

const UNITS = ['bytes', 'KB', 'MB', 'GB', 'TB'];
/** Bytes as people read them: 2.5 GB, 310 bytes (powers of 1000, as storage is sold). */
export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < UNITS.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${unit === 0 ? value : value.toFixed(value < 10 ? 1 : 0)} ${UNITS[unit]}`;
}

/** A duration in seconds as "about 3 min" or "about 40 s". */
function formatDuration(seconds: number): string {
  if (seconds < 60) return `about ${Math.max(1, Math.round(seconds))} s`;
  if (seconds < 3600) return `about ${Math.round(seconds / 60)} min`;
  return `about ${(seconds / 3600).toFixed(1)} h`;
}

/** While running, the bytes are the honest measure: a big file is most of the work. */
function runningText({ bytes, bytesPerSecond, files }: Progress, percent: number): string {
  const parts = [
    `${percent} %`,
    `${formatBytes(bytes.done)} of ${formatBytes(bytes.total)}`,
    `${files.done} of ${files.total} files`,
  ];
  if (bytesPerSecond && bytes.done > 0) {
    parts.push(`${formatBytes(bytesPerSecond)}/s`);
    if (bytes.total > bytes.done)
      parts.push(`${formatDuration((bytes.total - bytes.done) / bytesPerSecond)} left`);
  }
  return parts.join(' · ');
}

function ProgressView({
  progress,
  cancelling,
  catalogue,
  metadata,
}: {
  progress: Progress;
  cancelling: boolean;
  catalogue: Catalogue;
  metadata: Citable;
}) {
  const { state, files, bytes } = progress;
  const running = state === 'running';
  // Once ended, what counts is which files got there: a run that stopped at its one big file
  // did not do "1 %" of the work, it exported 2 of 3 files.
  const percent = running
    ? Math.floor(bytes.total > 0 ? (bytes.done / bytes.total) * 100 : progress.percent)
    : files.total > 0
      ? Math.floor((files.done / files.total) * 100)
      : state === 'done'
        ? 100
        : 0;
  const problems = problemsOf(progress.errors);
  return (
    <div className="progress">
      <p aria-live="polite" className={`run-${state}`}>
        {running && cancelling ? 'Cancelling… the files under way finish first' : STATE_TEXT[state]}
        {/* "Export cancelled" says it all; a cancel's reason would only say it again. */}
        {progress.reason && state !== 'cancelled' ? `: ${progress.reason}` : ''}
      </p>
      <label htmlFor="export-progress">
        {running
          ? runningText(progress, percent)
          : `${files.done} of ${files.total} files exported`}
        {files.failed ? ` · ${files.failed} failed` : ''}
      </label>
      <progress id="export-progress" max={100} value={percent}>
        {percent} %
      </progress>
      {progress.currentFiles.length > 0 && (
        <ul className="muted current">
          {progress.currentFiles.map((f) => (
            <li key={`${f.targetId}${f.path}`} className="name">
              {f.path}: {formatBytes(f.bytesDone)}
              {f.size ? ` of ${formatBytes(f.size)}` : ''}
            </li>
          ))}
        </ul>
      )}
      {problems.length > 0 && (
        <>
          <h3>Problems</h3>
          <ul className="field-errors">
            {problems.map((error, i) => (
              <li key={i}>
                {error.path ? `${error.path}: ` : ''}
                {withDisplayNames(error.reason, catalogue)}
              </li>
            ))}
          </ul>
        </>
      )}
      {!running && progress.targets && (
        <Results targets={progress.targets} catalogue={catalogue} metadata={metadata} />
      )}
    </div>
  );
}

/** A target's state in an ended run, in words: one not finished was stopped before it was. */
export const targetStateText = (state: string) =>
  ({ done: 'done', failed: 'failed', running: 'exporting' })[state] ?? 'not finished';

/** What each target ended with; why one failed is under Problems, once. */
export function Results({
  targets,
  catalogue,
  metadata,
}: {
  targets: NonNullable<Progress['targets']>;
  catalogue: Catalogue;
  metadata: Citable;
}) {
  return (
    <ul className="results">
      {targets.map((target) => {
        const name = catalogue.nameOf(target.port);
        return (
          <li key={target.targetId}>
            <strong>{name}</strong>: {targetStateText(target.state)}
            {target.state === 'done' && target.draftUrl && (
              <>
                {' '}
                · a draft for you to publish:{' '}
                <a href={target.draftUrl}>look at the draft in {name}</a>
              </>
            )}
            {target.state === 'done' && (target.doi || target.recordUrl || target.version) && (
              <RecordSummary record={target} repository={name} metadata={metadata} />
            )}
            {target.note && <p className="muted">{withDisplayNames(target.note, catalogue)}</p>}
          </li>
        );
      })}
    </ul>
  );
}
