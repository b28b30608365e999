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
          <button type="button" className="danger" onClick={cancel}>
            Cancel export
          </button>
        )}
      </div>
      {failure && (
        <p role="alert" className="error">
          {failure}
        </p>
      )}
      {progress && <ProgressView progress={progress} />}
    </section>
  );
}

const STATE_TEXT = { running: 'Exporting…', done: 'Export finished', failed: 'Export failed' };

function ProgressView({ progress }: { progress: Progress }) {
  const percent = Math.floor(progress.percent);
  return (
    <div className="progress">
      <p aria-live="polite" className={`run-${progress.state}`}>
        {STATE_TEXT[progress.state]}
        {progress.reason ? `: ${progress.reason}` : ''}
      </p>
      <label htmlFor="export-progress">
        {percent} % · {progress.files.done} of {progress.files.total} files
        {progress.files.failed ? ` · ${progress.files.failed} failed` : ''}
      </label>
      <progress id="export-progress" max={100} value={percent}>
        {percent} %
      </progress>
      {progress.currentFiles.length > 0 && (
        <p className="muted">Now: {progress.currentFiles.map((f) => f.path).join(', ')}</p>
      )}
      {progress.errors.length > 0 && (
        <>
          <h3>Problems</h3>
          <ul className="field-errors">
            {progress.errors.map((error, i) => (
              <li key={i}>
                {error.path ? `${error.path}: ` : ''}
                {error.reason}
              </li>
            ))}
          </ul>
        </>
      )}
      {progress.state !== 'running' && progress.targets && <Results targets={progress.targets} />}
    </div>
  );
}

export function Results({ targets }: { targets: NonNullable<Progress['targets']> }) {
  return (
    <ul className="results">
      {targets.map((target) => (
        <li key={target.targetId}>
          <strong>{target.port}</strong>: {target.state}
          {target.reason ? ` (${target.reason})` : ''}
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
