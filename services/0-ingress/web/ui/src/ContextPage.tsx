import { useEffect, useRef, useState } from 'react';
import { answer, api, ifMatch, type Context, type IfMatch, type Sent } from './api.ts';
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
  /**
   * Sends a change of the context, based on its current ETag (`If-Match`), then reads it again;
   * answers the answer's body.
   */
  change: <Body>(send: (header: IfMatch) => Promise<Sent<Body>>) => Promise<Body>;
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
    const loaded = await answer(
      api.GET('/api/contexts/{contextId}', { params: { path: { contextId: id } } }),
    );
    setContext(loaded.body);
    setEtag(loaded.etag);
    return loaded;
  };
  useEffect(() => {
    load().catch((error: unknown) => setNotice(failureNotice(error)));
  }, [id]);

  if (!context) return notice ? <Notice notice={notice} /> : <p>Loading…</p>;

  const change = async <Body,>(send: (header: IfMatch) => Promise<Sent<Body>>) => {
    const { body } = await answer(send(ifMatch(etag)));
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
      await answer(
        api.PUT('/api/contexts/{contextId}/status', {
          params: { path: { contextId: id }, header: ifMatch(current) },
          body: { status: 'ready' },
        }),
      );
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
