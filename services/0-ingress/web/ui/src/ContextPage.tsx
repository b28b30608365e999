import { useEffect, useRef, useState } from 'react';
import { call, type Context } from './api.ts';
import { checkContext, useChecks } from './checks.ts';
import { statusText } from './Contexts.tsx';
import { ExportPanel } from './ExportPanel.tsx';
import { History } from './History.tsx';
import { MetadataPanel, type MetadataForm } from './MetadataPanel.tsx';
import { useCatalogue } from './names.ts';
import { failureNotice, Notice, type NoticeText } from './Notice.tsx';
import { Sources } from './Sources.tsx';
import { Targets } from './Targets.tsx';

export interface Editing {
  context: Context;
  /** Sends a change of the context with its current ETag, then reads it again; answers the answer. */
  change: (method: string, path: string, json?: unknown) => Promise<unknown>;
}

/** One research context: its sources, targets, metadata, export and history. */
export function ContextPage({ id }: { id: string }) {
  const [context, setContext] = useState<Context>();
  const [etag, setEtag] = useState('');
  const [notice, setNotice] = useState<NoticeText>();
  const [runsSeen, setRunsSeen] = useState(0);
  const catalogue = useCatalogue();
  const checks = useChecks(context);
  const metadataForm = useRef<MetadataForm>(null);
  const [metadataChanged, setMetadataChanged] = useState(false);

  const load = async () => {
    const answer = await call<Context>('GET', `/api/contexts/${id}`);
    setContext(answer.body);
    setEtag(answer.etag);
    return answer;
  };
  useEffect(() => {
    load().catch((error: unknown) => setNotice(failureNotice(error)));
  }, [id]);

  if (!context) return notice ? <Notice notice={notice} /> : <p>Loading…</p>;

  const change = async (method: string, path: string, json?: unknown) => {
    const { body } = await call(method, `/api/contexts/${id}${path}`, { etag, json });
    await load();
    return body;
  };
  const editing = { context, change };
  /**
   * Before an export: what is on screen is saved (an export sends what is saved), every target
   * accepts it, and a draft context is marked ready. Answers why not, if it cannot go out.
   */
  const prepare = async (): Promise<string | undefined> => {
    if (metadataForm.current && !(await metadataForm.current.saveIfChanged()))
      return 'Not exported: the metadata could not be saved. See the fields marked above.';
    const { body, etag: current } = await load();
    if ((await checkContext(body)).some((result) => !result.valid))
      return 'Not exported: fix what is listed first.';
    if (body.status === 'draft') {
      await call('PUT', `/api/contexts/${id}/status`, { etag: current, json: { status: 'ready' } });
      await load();
    }
    return undefined;
  };

  return (
    <article aria-labelledby="context-title">
      <p>
        <a href="#/contexts">← All research contexts</a>
      </p>
      <h1 id="context-title" className="name">
        {context.name}
      </h1>
      <Notice notice={notice} />
      <p className="muted">
        <span className={`status status-${context.status}`}>{statusText(context.status)}</span>
        {context.description ? ` · ${context.description}` : ''}
      </p>
      <div className="columns">
        <Sources editing={editing} catalogue={catalogue} />
        <Targets editing={editing} catalogue={catalogue} checks={checks} />
      </div>
      <MetadataPanel
        ref={metadataForm}
        editing={editing}
        checks={checks ?? []}
        catalogue={catalogue}
        onChanged={setMetadataChanged}
      />
      <ExportPanel
        context={context}
        checks={checks}
        catalogue={catalogue}
        unsaved={metadataChanged}
        prepare={prepare}
        onEnded={() => {
          void load();
          setRunsSeen((n) => n + 1);
        }}
      />
      <History contextId={id} refresh={runsSeen} catalogue={catalogue} />
    </article>
  );
}
