import { useEffect, useState } from 'react';
import { get, messageOf, type Run } from './api.ts';
import { targetStateText } from './ExportPanel.tsx';

interface RunFile {
  id: string;
  path: string;
  state: string;
  reason?: string;
}

/** The context's exports, newest first, each with its results and, on demand, its files. */
export function History({ contextId, refresh }: { contextId: string; refresh: number }) {
  const [runs, setRuns] = useState<Run[]>();
  const [failure, setFailure] = useState('');
  useEffect(() => {
    get<{ runs: Run[] }>(`/api/contexts/${contextId}/runs?limit=20`).then(
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
          <RunItem key={run.id} contextId={contextId} run={run} />
        ))}
      </ol>
    </section>
  );
}

function RunItem({ contextId, run }: { contextId: string; run: Run }) {
  const [files, setFiles] = useState<RunFile[]>();
  const showFiles = async () =>
    setFiles(
      (await get<{ files: RunFile[] }>(`/api/contexts/${contextId}/runs/${run.id}/files?limit=100`))
        .files,
    );
  const { totals } = run;
  return (
    <li>
      <strong>{new Date(run.startedAt).toLocaleString()}</strong>: {run.state}
      {run.reason ? ` (${run.reason})` : ''} · {totals.filesDone} of {totals.files} files
      {totals.filesFailed ? `, ${totals.filesFailed} failed` : ''}
      <ul>
        {run.targets.map((target) => (
          <li key={target.targetId}>
            {target.port}: {run.state === 'running' ? target.state : targetStateText(target.state)}
            {target.reason ? ` (${target.reason})` : ''}
            {target.reported?.doi && ` · DOI ${target.reported.doi}`}
            {target.reported?.recordUrl && (
              <>
                {' '}
                · <a href={target.reported.recordUrl}>record</a>
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
