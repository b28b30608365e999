import { ConfigError, ProblemError } from '@rds/kit';
import { storagePath } from '@rds/ports';

/** A direct child of a folder, as its key names it. */
export interface Child {
  name: string;
  folder: boolean;
}

/**
 * Where storage paths live in the bucket: a key is the configured prefix followed by the path's
 * segments. Paths come from `storagePath`, which refuses `.`, `..` and empty segments, so no path
 * names a key above the prefix. S3 itself does not resolve `..` in keys, but proxies and
 * S3-compatible servers may normalise URLs, so such keys are never sent.
 */
export class KeySpace {
  /** Empty, or segments each followed by `/`. */
  readonly prefix: string;

  private constructor(prefix: string) {
    this.prefix = prefix;
  }

  /** `RDS_S3_PREFIX` as configured: slashes around it are optional, `..` is refused. */
  static of(configured: string | undefined): KeySpace {
    let path: string;
    try {
      path = storagePath(`/${(configured ?? '').replace(/^\/+/, '')}`);
    } catch (error) {
      if (!(error instanceof ProblemError)) throw error;
      throw new ConfigError(`RDS_S3_PREFIX: ${error.message}`);
    }
    return new KeySpace(path === '/' ? '' : `${path.slice(1)}/`);
  }

  /** The key of the file at `path` (never the root). */
  fileKey(path: string): string {
    return this.prefix + path.slice(1);
  }

  /** What every key inside the folder at `path` starts with; also the key of its marker object. */
  folderKey(path: string): string {
    return path === '/' ? this.prefix : `${this.prefix}${path.slice(1)}/`;
  }

  /**
   * The child of the folder whose keys start with `folderKey` that a listed key or common prefix
   * names. Undefined for the folder's own marker, for keys elsewhere (a server that ignored the
   * prefix asked for) and for names no storage path can hold (empty, `.`, `..`, NUL).
   */
  childOf(folderKey: string, key: string): Child | undefined {
    if (!key.startsWith(folderKey)) return undefined;
    const rest = key.slice(folderKey.length);
    const folder = rest.endsWith('/');
    const name = folder ? rest.slice(0, -1) : rest;
    if (name === '' || name === '.' || name === '..' || /[/\0]/.test(name)) return undefined;
    return { name, folder };
  }
}
