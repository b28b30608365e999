import { ProblemError } from '@rds/kit';

/**
 * A storage path as the fileStorage interface takes it: absolute, `/`-separated, without `.`,
 * `..` or empty segments and without NUL. Returns it normalised (no trailing slash; `/` for the
 * root); a path that tries to climb out is refused, never "resolved".
 */
export function storagePath(raw: string): string {
  if (!raw.startsWith('/')) throw badPath(raw, 'it must start with /');
  if (raw.includes('\0')) throw badPath(raw, 'it contains a NUL character');
  const segments = raw
    .split('/')
    .filter((s, i, all) => !(s === '' && (i === 0 || i === all.length - 1)));
  if (segments.some((s) => s === '' || s === '.' || s === '..')) {
    throw badPath(raw, 'it contains an empty, "." or ".." segment');
  }
  return `/${segments.join('/')}`;
}

/** The last segment of a normalised path; empty for the root. */
export function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** The folder above a normalised path; `/` for a top-level entry. */
export function parentOf(path: string): string {
  const parent = path.slice(0, path.lastIndexOf('/'));
  return parent === '' ? '/' : parent;
}

export function joinPath(folder: string, name: string): string {
  return folder === '/' ? `/${name}` : `${folder}/${name}`;
}

function badPath(path: string, why: string): ProblemError {
  return new ProblemError(400, {
    detail: `The path ${JSON.stringify(path.slice(0, 200))} is not valid: ${why}.`,
    messageKey: 'storage.badPath',
    args: { path: path.slice(0, 200) },
  });
}
