import { useEffect, useState } from 'react';
import { api, bodyOf, messageOf, type Run, type RunFile } from './api.ts';
import { targetStateText } from './ExportPanel.tsx';
import { withDisplayNames, type Catalogue } from './names.ts';

/** The context's exports, newest first, each with its results and, on demand, its files. */
export function History({
  contextId,
  refresh,
  catalogue,
}: {
  contextId: string;
  refresh: number;
  catalogue: Catalogue;
}) {
  const [runs, setRuns] = useState<Run[]>();
  const [failure, setFailure] = useState('');
  useEffect(() => {
    bodyOf(
      api.GET('/api/contexts/{contextId}/runs', {
        params: { path: { contextId }, query: { limit: 20 } },
      }),
    ).then(
      (found) => setRuns(found.runs),
      (error: unknown) => setFailure(messageOf(error)),
    );
  }, [contextId, refresh]);

  return (
    <section className="panel" aria-labelledby="history-title">
      <h2 id="history-title">History</h2>
      {failure && (
        <p role="alert" className="error">
          {failure}
        </p>
      )}
      {runs?.length === 0 && <p>No exports yet.</p>}
      <ol className="runs">
        {runs?.map((run) => (
          <RunItem key={run.id} contextId={contextId} run={run} catalogue={catalogue} />
        ))}
      </ol>
    </section>
  );
}

const RUN_STATE_TEXT: Record<Run['state'], string> = {
  running: 'exporting',
  done: 'finished',
  failed: 'failed',
  cancelled: 'cancelled',
};

function RunItem({
  contextId,
  run,
  catalogue,
}: {
  contextId: string;
  run: Run;
  catalogue: Catalogue;
}) {
  const [files, setFiles] = useState<RunFile[]>();
  const showFiles = async () =>
    setFiles(
      (
        await bodyOf(
          api.GET('/api/contexts/{contextId}/runs/{runId}/files', {
            params: { path: { contextId, runId: run.id }, query: { limit: 100 } },
          }),
        )
      ).files,
    );
  const { totals } = run;
  return (
    <li>
      <strong>{new Date(run.startedAt).toLocaleString()}</strong>: {RUN_STATE_TEXT[run.state]}
      {run.reason ? ` (${withDisplayNames(run.reason, catalogue)})` : ''} · {totals.filesDone} of{' '}
      {totals.files} files
      {totals.filesFailed ? `, ${totals.filesFailed} failed` : ''}
      <ul>
        {run.targets.map((target) => (
          <li key={target.targetId}>
            {catalogue.nameOf(target.port)}:{' '}
            {run.state === 'running' ? 'exporting' : targetStateText(target.state)}
            {target.reason ? ` (${withDisplayNames(target.reason, catalogue)})` : ''}
            {target.reported?.version && ` · version ${target.reported.version}`}
            {target.reported?.doi && (
              <>
                {' '}
                · DOI <a href={`https://doi.org/${target.reported.doi}`}>{target.reported.doi}</a>
              </>
            )}
            {target.reported?.recordUrl && (
              <>
                {' '}
                · <a href={target.reported.recordUrl}>the record</a>
              </>
            )}
          </li>
        ))}
      </ul>
      {files ? (
        <ul className="files">
          {files.map((file) => (
            <li key={file.id}>
              {file.path}: {file.state}
              {file.reason ? ` (${file.reason})` : ''}
            </li>
          ))}
        </ul>
      ) : (
        <button type="button" className="link" onClick={showFiles}>
          Show the files of this export
        </button>
      )}
    </li>
  );
}
