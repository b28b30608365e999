import { ProblemError } from '@rds/kit';
import { storageProblems } from '@rds/ports';

/** What this folder's file system refuses that the interface's paths allow. */
export const folderProblems = {
  nameTooLong: (path: string, limit: number) =>
    new ProblemError(400, {
      detail: `A name in ${path.slice(0, 200)} is longer than ${limit} bytes, the most a name may have here.`,
      messageKey: 'storage.nameTooLong',
      args: { path: path.slice(0, 200), limit },
    }),
  pathTooLong: (path: string) =>
    new ProblemError(400, {
      detail: `${path.slice(0, 200)}… is too long a path for this folder.`,
      messageKey: 'storage.pathTooLong',
      args: { path: path.slice(0, 200) },
    }),
  linkLeadsNowhere: (path: string) =>
    new ProblemError(409, {
      detail: `${path} is a link that leads nowhere: nothing can be made under it.`,
      messageKey: 'storage.linkLeadsNowhere',
      args: { path },
    }),
};

/**
 * File system errors that the tree a user made can cause, as problems of the path asked for
 * (the tree changed meanwhile, or links loop); any other error is the server's own.
 */
const CAUSED_BY_THE_TREE: Record<string, (path: string) => ProblemError> = {
  ENAMETOOLONG: folderProblems.pathTooLong,
  ELOOP: folderProblems.linkLeadsNowhere,
  ENOENT: storageProblems.notFound,
  ENOTDIR: storageProblems.notFound,
};

/** Runs `operation` on `path`, its file system errors caused by the tree as problems of `path`. */
export async function asFolderProblems<T>(path: string, operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (error) {
    const problem = CAUSED_BY_THE_TREE[(error as NodeJS.ErrnoException).code ?? ''];
    throw problem ? problem(path) : error;
  }
}
