import { useState } from 'react';
import { api, type SourceSettings } from './api.ts';
import { Choice } from './Choice.tsx';
import type { Editing } from './ContextPage.tsx';
import { FolderPicker } from './FolderPicker.tsx';
import { connectedOf, type Catalogue } from './names.ts';
import { Notice, useNotice } from './Notice.tsx';

const describe = (settings: SourceSettings) =>
  'folder' in settings ? settings.folder : `${settings.paths.length} file(s)`;

/** Where the context's files are: each source by its service's name, and a picker to add one. */
export function Sources({ editing, catalogue }: { editing: Editing; catalogue: Catalogue }) {
  const { context, change } = editing;
  const [storage, setStorage] = useState('');
  const { notice, act } = useNotice();
  const storages = connectedOf(catalogue, 'fileStorage');
  const picked = storage || storages[0]?.servicename || '';
  return (
    <section className="panel" aria-labelledby="sources-title">
      <h2 id="sources-title">Sources</h2>
      <ul className="items">
        {context.sources.map((source) => {
          const what = `${catalogue.nameOf(source.port)}: ${describe(source.settings)}`;
          return (
            <li key={source.id}>
              <span className="name">{what}</span>{' '}
              <button
                type="button"
                className="link"
                aria-label={`Remove ${what}`}
                onClick={() =>
                  act(
                    () =>
                      change((header) =>
                        api.DELETE('/api/contexts/{contextId}/sources/{sourceId}', {
                          params: { path: { contextId: context.id, sourceId: source.id }, header },
                        }),
                      ),
                    `Removed ${what}.`,
                  )
                }
              >
                Remove
              </button>
            </li>
          );
        })}
      </ul>
      <Notice notice={notice} />
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
            key={picked}
            servicename={picked}
            serviceName={catalogue.nameOf(picked)}
            onPick={(settings) =>
              act(
                () =>
                  change((header) =>
                    api.POST('/api/contexts/{contextId}/sources', {
                      params: { path: { contextId: context.id }, header },
                      body: { port: picked, settings },
                    }),
                  ),
                `Added ${catalogue.nameOf(picked)}: ${describe(settings)}.`,
              )
            }
          />
        </>
      )}
    </section>
  );
}
