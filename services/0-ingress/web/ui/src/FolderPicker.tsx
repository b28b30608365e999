import { useEffect, useRef, useState } from 'react';
import { api, bodyOf, messageOf, type SourceSettings } from './api.ts';

/** One page of a folder of `servicename`, from `cursor` on. */
const pageOf = (servicename: string, path: string, cursor?: string) =>
  bodyOf(
    api.GET('/api/storage/{servicename}/folder', {
      params: { path: { servicename }, query: { path, ...(cursor ? { cursor } : {}) } },
    }),
  );
type Page = Awaited<ReturnType<typeof pageOf>>;

const parentOf = (path: string) => path.replace(/\/[^/]*$/, '') || '/';

/**
 * Browses a storage service folder by folder; the user takes a folder, or some of its files.
 * One picker shows one service: give it `key={servicename}` so that another service starts afresh.
 */
export function FolderPicker({
  servicename,
  serviceName,
  onPick,
}: {
  servicename: string;
  /** What people call the service. */
  serviceName: string;
  onPick: (settings: SourceSettings) => void;
}) {
  const [path, setPath] = useState('/');
  const [page, setPage] = useState<Page>();
  const [chosen, setChosen] = useState<string[]>([]);
  const [failure, setFailure] = useState('');

  // The folder whose listing is wanted now: an answer for a folder the user has already left
  // (it came late, as under load) must not replace the listing of the one they opened since.
  const current = useRef(path);
  const load = async (cursor?: string) => {
    const asked = path;
    setFailure('');
    try {
      const next = await pageOf(servicename, path, cursor);
      if (current.current !== asked) return;
      setPage((old) =>
        cursor && old ? { ...next, entries: [...old.entries, ...next.entries] } : next,
      );
    } catch (error) {
      if (current.current === asked) setFailure(messageOf(error));
    }
  };
  useEffect(() => {
    current.current = path;
    setChosen([]);
    void load();
  }, [path]);

  const toggle = (file: string, on: boolean) =>
    setChosen((old) => (on ? [...old, file] : old.filter((p) => p !== file)));

  return (
    <div className="picker" aria-label={`Files of ${serviceName}`} role="group">
      <p>
        Folder <strong className="path">{path}</strong>
      </p>
      {failure && (
        <p role="alert" className="error">
          {failure}
        </p>
      )}
      <ul className="entries">
        {path !== '/' && (
          <li>
            <button type="button" className="link" onClick={() => setPath(parentOf(path))}>
              ↑ Up to {parentOf(path)}
            </button>
          </li>
        )}
        {page?.entries.map((entry) =>
          entry.type === 'folder' ? (
            <li key={entry.path}>
              <button type="button" className="link" onClick={() => setPath(entry.path)}>
                Open {entry.name}
              </button>
            </li>
          ) : (
            <li key={entry.path}>
              <label className="inline">
                <input
                  type="checkbox"
                  checked={chosen.includes(entry.path)}
                  onChange={(e) => toggle(entry.path, e.target.checked)}
                />
                {entry.name}&nbsp;<span className="muted">({entry.size ?? 0} bytes)</span>
              </label>
            </li>
          ),
        )}
        {page && page.entries.length === 0 && <li className="muted">This folder is empty.</li>}
      </ul>
      {page?.nextCursor && (
        <button type="button" className="secondary" onClick={() => load(page.nextCursor)}>
          Show more
        </button>
      )}
      <div className="row">
        <button type="button" onClick={() => onPick({ folder: path })}>
          Use folder {path}
        </button>
        <button
          type="button"
          className="secondary"
          disabled={chosen.length === 0}
          onClick={() => onPick({ paths: chosen })}
        >
          Use {chosen.length} selected file(s)
        </button>
      </div>
    </div>
  );
}
