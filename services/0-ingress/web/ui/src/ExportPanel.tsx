import { useEffect, useRef, useState } from 'react';
import { call, messageOf, type Context, type Progress } from './api.ts';

/** Starts an export and follows it live (server-sent events): progress, errors, cancel, results. */
export function ExportPanel({
  context,
  prepare,
  onEnded,
}: {
  context: Context;
  /** Makes the context ready to export (saves pending changes); returns false to stop. */
  prepare: () => Promise<boolean>;
  onEnded: () => void;
}) {
  const [progress, setProgress] = useState<Progress>();
  const [failure, setFailure] = useState('');
  /** The cancel was accepted; the files in flight finish first. */
  const [cancelling, setCancelling] = useState(false);
  const stream = useRef<EventSource | undefined>(undefined);
  useEffect(() => () => stream.current?.close(), []);

  const follow = (runId: string) => {
    const events = new EventSource(
      `/api/exports/${runId}/events?contextId=${encodeURIComponent(context.id)}`,
    );
    stream.current = events;
    events.addEventListener('progress', (event) => setProgress(JSON.parse(event.data)));
    events.addEventListener('end', (event) => {
      setProgress(JSON.parse(event.data));
      events.close();
      onEnded();
    });
  };

  const start = async () => {
    setFailure('');
    setProgress(undefined);
    setCancelling(false);
    try {
      if (!(await prepare())) return;
      const { body } = await call<{ runId: string }>('POST', '/api/exports', {
        json: { contextId: context.id },
      });
      follow(body.runId);
    } catch (error) {
      setFailure(messageOf(error));
    }
  };
  const cancel = async () => {
    try {
      await call('POST', `/api/exports/${progress!.runId}/cancel`);
      setCancelling(true);
    } catch (error) {
      setFailure(messageOf(error));
    }
  };

  const running = progress?.state === 'running';
  const ready = context.sources.length > 0 && context.targets.length > 0;
  return (
    <section className="panel" aria-labelledby="export-title">
      <h2 id="export-title">Export</h2>
      {!ready && <p>Add a source and a target first.</p>}
      <div className="row">
        <button type="button" onClick={start} disabled={!ready || running}>
          Export now
        </button>
        {running && (
          <button type="button" className="danger" onClick={cancel} disabled={cancelling}>
            Cancel export
          </button>
        )}
      </div>
      {failure && (
        <p role="alert" className="error">
          {failure}
        </p>
      )}
      {progress && <ProgressView progress={progress} cancelling={cancelling} />}
    </section>
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

function ProgressView({ progress, cancelling }: { progress: Progress; cancelling: boolean }) {
  const { state, files } = progress;
  const running = state === 'running';
  // While running, bytes are the honest measure (a big file is most of the work). Once ended,
  // what counts is which files got there: a run that stopped at its one big file did not do
  // "1 %" of the work, it exported 2 of 3 files.
  const percent = running
    ? Math.floor(progress.percent)
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
          ? `${percent} % · ${files.done} of ${files.total} files`
          : `${files.done} of ${files.total} files exported`}
        {files.failed ? ` · ${files.failed} failed` : ''}
      </label>
      <progress id="export-progress" max={100} value={percent}>
        {percent} %
      </progress>
      {progress.currentFiles.length > 0 && (
        <p className="muted">Now: {progress.currentFiles.map((f) => f.path).join(', ')}</p>
      )}
      {problems.length > 0 && (
        <>
          <h3>Problems</h3>
          <ul className="field-errors">
            {problems.map((error, i) => (
              <li key={i}>
                {error.path ? `${error.path}: ` : ''}
                {error.reason}
              </li>
            ))}
          </ul>
        </>
      )}
      {!running && progress.targets && <Results targets={progress.targets} />}
    </div>
  );
}

/** A target's state in an ended run, in words: one not finished was stopped before it was. */
export const targetStateText = (state: string) =>
  state === 'pending' || state === 'transferring' ? 'not finished' : state;

/** What each target ended with; why one failed is under Problems, once. */
export function Results({ targets }: { targets: NonNullable<Progress['targets']> }) {
  return (
    <ul className="results">
      {targets.map((target) => (
        <li key={target.targetId}>
          <strong>{target.port}</strong>: {targetStateText(target.state)}
          {target.doi && (
            <>
              {' '}
              · DOI <a href={`https://doi.org/${target.doi}`}>{target.doi}</a>
            </>
          )}
          {target.recordUrl && (
            <>
              {' '}
              · <a href={target.recordUrl}>View the record</a>
            </>
          )}
        </li>
      ))}
    </ul>
  );
}
