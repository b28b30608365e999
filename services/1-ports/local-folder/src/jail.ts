import { realpath } from 'node:fs/promises';
import { join, sep } from 'node:path';
import { baseName, parentOf, storageProblems } from '@rds/ports';

/**
 * Maps storage paths to files under one root folder, and refuses any that lead outside it:
 * `..` and encoded dots are refused as paths already (see `storagePath`); here, symbolic links
 * whose target lies outside the root are caught by resolving the real path.
 */
export class FolderJail {
  readonly root: string;

  private constructor(root: string) {
    this.root = root;
  }

  static async open(root: string): Promise<FolderJail> {
    return new FolderJail(await realpath(root));
  }

  /** The real file of an existing entry. */
  async existing(path: string): Promise<string> {
    const real = await realpath(join(this.root, path)).catch((error: NodeJS.ErrnoException) => {
      throw error.code === 'ENOENT' || error.code === 'ENOTDIR'
        ? storageProblems.notFound(path)
        : error;
    });
    this.check(real, path);
    return real;
  }

  /** An existing entry itself: a link as the link, not what it points to. */
  async entry(path: string): Promise<string> {
    return join(await this.existing(parentOf(path)), baseName(path));
  }

  /** Where a new entry goes: its folder must exist, inside the root. */
  async creatable(path: string, name: string): Promise<string> {
    const folder = await this.existing(parentOf(path)).catch((error: unknown) => {
      throw (error as { init?: { messageKey?: string } }).init?.messageKey === 'storage.notFound'
        ? storageProblems.parentMissing(path)
        : error;
    });
    return join(folder, name);
  }

  private check(real: string, path: string): void {
    if (real !== this.root && !real.startsWith(this.root + sep))
      throw storageProblems.outsideRoot(path);
  }
}
