import { link, readFile, unlink, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';

/** The data folder is held by another live process: opening it too would lose data. */
export class FolderInUseError extends Error {
  constructor(dataDir: string, holder: number, lockFile: string) {
    const inside = relative(process.cwd(), dataDir);
    const where = inside.startsWith('..') ? dataDir : inside || '.';
    super(
      `The database in ${where} is in use by process ${holder}${holder === process.pid ? ' (this one)' : ''}, ` +
        'and an embedded database takes one process at a time. Stop the other RDS (another ' +
        '`rds start`, say), or give this one another data folder (--data-dir or RDS_DATA_DIR). ' +
        `If no such process is running, delete ${lockFile}.`,
    );
    this.name = 'FolderInUseError';
  }
}

const LOCK_FILE = 'rds.pid';

/**
 * Holds `dataDir` for this process until the returned release is called. PGlite's files take one
 * process at a time: a second one writing to them loses rows without an error. The lock is a file
 * made exclusively with the holder's pid; one left by a process that died is taken over.
 */
export async function lockFolder(dataDir: string): Promise<() => Promise<void>> {
  const file = join(dataDir, LOCK_FILE);
  // Linked into place whole, so that no one ever reads a lock file without its pid.
  const mine = `${file}.${process.pid}`;
  await writeFile(mine, `${process.pid}\n`, { mode: 0o600 });
  try {
    for (;;) {
      if (await linked(mine, file)) return () => releaseFolder(file);
      const holder = await holderOf(file);
      if (holder !== undefined && isAlive(holder))
        throw new FolderInUseError(dataDir, holder, file);
      // Its holder is gone: take it over, unless another starter just did.
      if ((await holderOf(file)) === holder) await unlink(file).catch(ignoreMissing);
    }
  } finally {
    await unlink(mine).catch(ignoreMissing);
  }
}

async function linked(from: string, to: string): Promise<boolean> {
  try {
    await link(from, to);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}

async function releaseFolder(file: string): Promise<void> {
  if ((await holderOf(file)) === process.pid) await unlink(file).catch(ignoreMissing);
}

async function holderOf(file: string): Promise<number | undefined> {
  const text = await readFile(file, 'utf8').catch(ignoreMissing);
  const pid = Number.parseInt(text ?? '', 10);
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it runs, as another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function ignoreMissing(error: NodeJS.ErrnoException): undefined {
  if (error.code === 'ENOENT') return undefined;
  throw error;
}
