import type { Entry, FolderPage } from './file-storage.ts';

type Named = Pick<Entry, 'type' | 'name'>;

/** Folders first, then by name: the order of every listing. */
export function entryOrder(a: Named, b: Named): number {
  if (a.type !== b.type) return a.type === 'folder' ? -1 : 1;
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

/**
 * A page of a folder read whole, for a storage that cannot list from a point: a cursor names
 * the last entry given, so that entries added or removed meanwhile shift nothing.
 */
export function pageOf(entries: Entry[], limit: number, cursor: string | undefined): FolderPage {
  const rest = [...entries].sort(entryOrder).filter(afterCursor(cursor));
  const page = rest.slice(0, limit);
  const last = page.at(-1);
  return {
    entries: page,
    ...(rest.length > limit && last ? { nextCursor: cursorOf(last) } : {}),
  };
}

const cursorOf = ({ type, name }: Named) =>
  Buffer.from(JSON.stringify([type, name])).toString('base64url');

function afterCursor(cursor: string | undefined): (entry: Entry) => boolean {
  if (!cursor) return () => true;
  let last: Named;
  try {
    const [type, name] = JSON.parse(Buffer.from(cursor, 'base64url').toString()) as [
      Entry['type'],
      string,
    ];
    last = { type, name };
  } catch {
    return () => true;
  }
  return (entry) => entryOrder(entry, last) > 0;
}
