import { useEffect, useState, type FormEvent } from 'react';
import {
  answer,
  api,
  bodyOf,
  ifMatch,
  messageOf,
  type Context,
  type IfMatch,
  type Sent,
} from './api.ts';
import { failureNotice, Notice, type NoticeText } from './Notice.tsx';

const STATUS_TEXT: Record<Context['status'], string> = {
  draft: 'Draft',
  ready: 'Ready',
  exporting: 'Exporting',
  exported: 'Exported',
  failed: 'Failed',
};

export const statusText = (status: Context['status']) => STATUS_TEXT[status];

/** The user's research contexts: list, create, rename, delete and restore. */
export function Contexts() {
  const [contexts, setContexts] = useState<Context[]>();
  const [showDeleted, setShowDeleted] = useState(false);
  const [notice, setNotice] = useState<NoticeText>();
  // Deleted contexts are shown beside the others, not instead of them.
  const load = () =>
    bodyOf(
      api.GET('/api/contexts', {
        params: { query: { limit: 100, deleted: showDeleted ? 'include' : 'exclude' } },
      }),
    ).then(
      (found) => setContexts(found.contexts),
      (error: unknown) => setNotice({ text: messageOf(error), error: true }),
    );
  useEffect(() => void load(), [showDeleted]);

  const act = async (what: () => Promise<unknown>, done: string) => {
    try {
      await what();
      setNotice({ text: done, error: false });
      await load();
    } catch (error) {
      setNotice(failureNotice(error));
    }
  };
  // Every change names the version it changes (If-Match): read the context fresh for its ETag.
  const withEtag = async (contextId: string, send: (header: IfMatch) => Promise<Sent<Context>>) => {
    const at = { params: { path: { contextId } } };
    const { etag } = await answer(api.GET('/api/contexts/{contextId}', at));
    return answer(send(ifMatch(etag)));
  };

  return (
    <section aria-labelledby="contexts-title">
      <h1 id="contexts-title">Research contexts</h1>
      <p>
        A research context links where your data is to where you publish it, with its description.
      </p>
      <CreateForm
        onCreate={(json) =>
          act(async () => {
            const { body } = await answer(api.POST('/api/contexts', { body: json }));
            window.location.hash = `#/contexts/${body.id}`;
          }, `Created ${json.name}.`)
        }
      />
      <Notice notice={notice} />
      <label className="inline">
        <input
          type="checkbox"
          checked={showDeleted}
          onChange={(e) => setShowDeleted(e.target.checked)}
        />
        Show deleted contexts
      </label>
      {!contexts ? (
        <p>Loading…</p>
      ) : contexts.length === 0 ? (
        <p>No research contexts yet: create one above.</p>
      ) : (
        <ul className="cards">
          {contexts.map((context) => (
            <ContextCard
              key={context.id}
              context={context}
              onRename={(name) =>
                act(
                  () =>
                    withEtag(context.id, (header) =>
                      api.PATCH('/api/contexts/{contextId}', {
                        params: { path: { contextId: context.id }, header },
                        body: { name },
                      }),
                    ),
                  `Renamed to ${name}.`,
                )
              }
              onDelete={() =>
                act(
                  () =>
                    withEtag(context.id, (header) =>
                      api.DELETE('/api/contexts/{contextId}', {
                        params: { path: { contextId: context.id }, header },
                      }),
                    ),
                  `Deleted ${context.name}.`,
                )
              }
              onRestore={() =>
                act(
                  () =>
                    withEtag(context.id, (header) =>
                      api.POST('/api/contexts/{contextId}/restore', {
                        params: { path: { contextId: context.id }, header },
                      }),
                    ),
                  `Restored ${context.name}.`,
                )
              }
            />
          ))}
        </ul>
      )}
    </section>
  );
}

function CreateForm({
  onCreate,
}: {
  onCreate: (json: { name: string; description?: string }) => void;
}) {
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onCreate({ name, ...(description ? { description } : {}) });
  };
  return (
    <form onSubmit={submit} className="panel stack" aria-labelledby="create-title">
      <h2 id="create-title">New research context</h2>
      <label>
        Name
        <input value={name} onChange={(e) => setName(e.target.value)} required maxLength={200} />
      </label>
      <label>
        Description (optional)
        <textarea value={description} onChange={(e) => setDescription(e.target.value)} rows={2} />
      </label>
      <button type="submit">Create context</button>
    </form>
  );
}

function ContextCard({
  context,
  onRename,
  onDelete,
  onRestore,
}: {
  context: Context;
  onRename: (name: string) => void;
  onDelete: () => void;
  onRestore: () => void;
}) {
  const [renaming, setRenaming] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const [name, setName] = useState(context.name);
  const titleId = `context-${context.id}`;
  return (
    <li className="card" aria-labelledby={titleId}>
      {renaming ? (
        <form
          className="row"
          onSubmit={(event) => {
            event.preventDefault();
            setRenaming(false);
            onRename(name);
          }}
        >
          <label>
            New name for {context.name}
            <input value={name} onChange={(e) => setName(e.target.value)} required autoFocus />
          </label>
          <button type="submit">Save name</button>
          <button type="button" className="secondary" onClick={() => setRenaming(false)}>
            Cancel
          </button>
        </form>
      ) : (
        <h2 id={titleId}>
          {context.deletedAt ? (
            context.name
          ) : (
            <a href={`#/contexts/${context.id}`}>{context.name}</a>
          )}
        </h2>
      )}
      <p className="muted">
        {context.deletedAt ? (
          <span className="status status-deleted">Deleted</span>
        ) : (
          <span className={`status status-${context.status}`}>{statusText(context.status)}</span>
        )}{' '}
        · {context.sources.length} source(s) · {context.targets.length} target(s)
      </p>
      {context.description && <p>{context.description}</p>}
      {/* The buttons show a verb; their names for assistive technology say which context. */}
      <div className="row">
        {context.deletedAt ? (
          <button type="button" onClick={onRestore} aria-label={`Restore ${context.name}`}>
            Restore
          </button>
        ) : deleting ? (
          <div role="group" aria-label={`Delete ${context.name}?`} className="confirm">
            <p>Delete “{context.name}”? You can restore it later under “Show deleted contexts”.</p>
            <div className="row">
              <button
                type="button"
                className="danger"
                onClick={() => {
                  setDeleting(false);
                  onDelete();
                }}
              >
                Yes, delete
              </button>
              <button type="button" className="secondary" onClick={() => setDeleting(false)}>
                Keep it
              </button>
            </div>
          </div>
        ) : (
          <>
            <button
              type="button"
              className="secondary"
              onClick={() => setRenaming(true)}
              aria-label={`Rename ${context.name}`}
            >
              Rename
            </button>
            <button
              type="button"
              className="danger"
              onClick={() => setDeleting(true)}
              aria-label={`Delete ${context.name}`}
            >
              Delete
            </button>
          </>
        )}
      </div>
    </li>
  );
}
