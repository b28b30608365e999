import { useEffect, useId, useState, type ReactNode } from 'react';
import {
  call,
  get,
  messageOf,
  type CatalogueEntry,
  type Context,
  type SourceSettings,
  type TargetSettings,
} from './api.ts';
import { statusText } from './Contexts.tsx';
import { ExportPanel } from './ExportPanel.tsx';
import { FolderPicker } from './FolderPicker.tsx';
import { History } from './History.tsx';
import { MetadataPanel } from './MetadataPanel.tsx';
import { Notice } from './Notice.tsx';

export interface Editing {
  context: Context;
  /** Sends a change of the context with its current ETag, then reads it again. */
  change: (method: string, path: string, json?: unknown) => Promise<void>;
}

/** One research context: its sources, targets, metadata, export and history. */
export function ContextPage({ id }: { id: string }) {
  const [context, setContext] = useState<Context>();
  const [etag, setEtag] = useState('');
  const [services, setServices] = useState<CatalogueEntry[]>([]);
  const [notice, setNotice] = useState<{ text: string; error: boolean }>();
  const [runsSeen, setRunsSeen] = useState(0);

  const load = async () => {
    const answer = await call<Context>('GET', `/api/contexts/${id}`);
    setContext(answer.body);
    setEtag(answer.etag);
    return answer;
  };
  useEffect(() => {
    load().catch((error: unknown) => setNotice({ text: messageOf(error), error: true }));
    get<{ services: CatalogueEntry[] }>('/api/services').then(
      (found) => setServices(found.services.filter((s) => s.connection.state === 'connected')),
      () => setServices([]),
    );
  }, [id]);

  if (!context) return notice ? <Notice notice={notice} /> : <p>Loading…</p>;

  const change = async (method: string, path: string, json?: unknown) => {
    await call(method, `/api/contexts/${id}${path}`, { etag, json });
    await load();
  };
  const act = async (what: () => Promise<unknown>, done: string) => {
    try {
      await what();
      setNotice({ text: done, error: false });
    } catch (error) {
      setNotice({ text: messageOf(error), error: true });
    }
  };
  // A context goes out when it is ready; a finished or failed one may go out again as it is.
  const prepare = async () => {
    const { body, etag: current } = await load();
    if (body.status === 'draft') {
      await call('PUT', `/api/contexts/${id}/status`, { etag: current, json: { status: 'ready' } });
      await load();
    }
    return true;
  };
  const storages = services.filter((s) => s.implements.includes('fileStorage'));
  const repositories = services.filter((s) => s.implements.includes('metadata'));

  return (
    <article aria-labelledby="context-title">
      <p>
        <a href="#/contexts">← All research contexts</a>
      </p>
      <h1 id="context-title">{context.name}</h1>
      <p className="muted">
        <span className={`status status-${context.status}`}>{statusText(context.status)}</span>
        {context.description ? ` · ${context.description}` : ''}
      </p>
      <Notice notice={notice} />
      <div className="columns">
        <Sources editing={{ context, change }} storages={storages} act={act} />
        <Targets editing={{ context, change }} repositories={repositories} act={act} />
      </div>
      <MetadataPanel editing={{ context, change }} />
      <ExportPanel
        context={context}
        prepare={prepare}
        onEnded={() => {
          void load();
          setRunsSeen((n) => n + 1);
        }}
      />
      <History contextId={id} refresh={runsSeen} />
    </article>
  );
}

type Act = (what: () => Promise<unknown>, done: string) => Promise<void>;

const describeSource = (settings: SourceSettings) =>
  'folder' in settings ? `folder ${settings.folder}` : `${settings.paths.length} file(s)`;

function Sources({
  editing,
  storages,
  act,
}: {
  editing: Editing;
  storages: CatalogueEntry[];
  act: Act;
}) {
  const { context, change } = editing;
  const [storage, setStorage] = useState('');
  const picked = storage || storages[0]?.servicename || '';
  return (
    <section className="panel" aria-labelledby="sources-title">
      <h2 id="sources-title">Sources</h2>
      <ul>
        {context.sources.map((source) => (
          <li key={source.id}>
            {source.port}: {describeSource(source.settings)}{' '}
            <button
              type="button"
              className="link"
              onClick={() =>
                act(() => change('DELETE', `/sources/${source.id}`), 'Source removed.')
              }
            >
              Remove source {source.port} {describeSource(source.settings)}
            </button>
          </li>
        ))}
      </ul>
      {storages.length === 0 ? (
        <p>
          Connect a storage service first, under <a href="#/services">Connected services</a>.
        </p>
      ) : (
        <>
          <Choice label="Storage" value={picked} onChange={(v) => setStorage(v)}>
            {storages.map((s) => (
              <option key={s.servicename} value={s.servicename}>
                {s.displayName}
              </option>
            ))}
          </Choice>
          <FolderPicker
            servicename={picked}
            onPick={(settings) =>
              act(
                () => change('POST', '/sources', { port: picked, settings }),
                `Source added: ${describeSource(settings)}.`,
              )
            }
          />
        </>
      )}
    </section>
  );
}

function Targets({
  editing,
  repositories,
  act,
}: {
  editing: Editing;
  repositories: CatalogueEntry[];
  act: Act;
}) {
  const { context, change } = editing;
  const [port, setPort] = useState('');
  const [mode, setMode] = useState<TargetSettings['mode']>('publish');
  const [folders, setFolders] = useState<NonNullable<TargetSettings['folders']>>('zip-folders');
  const picked = port || repositories[0]?.servicename || '';
  return (
    <section className="panel" aria-labelledby="targets-title">
      <h2 id="targets-title">Targets</h2>
      <ul>
        {context.targets.map((target) => (
          <li key={target.id}>
            {target.port}: {target.settings.mode}
            {target.settings.folders ? `, folders: ${target.settings.folders}` : ''}
            {target.reported?.doi ? ` · DOI ${target.reported.doi}` : ''}{' '}
            <button
              type="button"
              className="link"
              onClick={() =>
                act(() => change('DELETE', `/targets/${target.id}`), 'Target removed.')
              }
            >
              Remove target {target.port}
            </button>
          </li>
        ))}
      </ul>
      {repositories.length === 0 ? (
        <p>
          Connect a repository first, under <a href="#/services">Connected services</a>.
        </p>
      ) : (
        <form
          className="stack"
          onSubmit={(event) => {
            event.preventDefault();
            void act(
              () => change('POST', '/targets', { port: picked, settings: { mode, folders } }),
              `Target added: ${picked}.`,
            );
          }}
        >
          <Choice label="Repository" value={picked} onChange={(v) => setPort(v)}>
            {repositories.map((s) => (
              <option key={s.servicename} value={s.servicename}>
                {s.displayName}
              </option>
            ))}
          </Choice>
          <Choice
            label="Publication"
            value={mode}
            onChange={(v) => setMode(v as TargetSettings['mode'])}
          >
            <option value="publish">Publish</option>
            <option value="draft">Leave a draft for me to publish</option>
          </Choice>
          <Choice
            label="Folders (where the repository has none)"
            value={folders}
            onChange={(v) => setFolders(v as typeof folders)}
          >
            <option value="zip-folders">One zip file per top-level folder</option>
            <option value="encode-paths">Name each file after its whole path</option>
          </Choice>
          <button type="submit">Add target</button>
        </form>
      )}
    </section>
  );
}

/** A labelled choice; the label names the field alone, not the option chosen. */
function Choice(props: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  children: ReactNode;
}) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{props.label}</label>
      <select id={id} value={props.value} onChange={(e) => props.onChange(e.target.value)}>
        {props.children}
      </select>
    </div>
  );
}
