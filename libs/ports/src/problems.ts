import { ProblemError } from '@rds/kit';

/**
 * The problems every storage port answers with, so that users and the exporter can tell a missing
 * path from refused credentials from an unreachable server, whatever the storage.
 */
export const storageProblems = {
  notFound: (path: string) =>
    new ProblemError(404, {
      detail: `Nothing is at ${path}.`,
      messageKey: 'storage.notFound',
      args: { path },
    }),
  notAFolder: (path: string) =>
    new ProblemError(409, {
      detail: `${path} is a file, not a folder.`,
      messageKey: 'storage.notAFolder',
      args: { path },
    }),
  notAFile: (path: string) =>
    new ProblemError(409, {
      detail: `${path} is a folder, not a file.`,
      messageKey: 'storage.notAFile',
      args: { path },
    }),
  parentMissing: (path: string) =>
    new ProblemError(409, {
      detail: `The folder above ${path} does not exist.`,
      messageKey: 'storage.parentMissing',
      args: { path },
    }),
  outsideRoot: (path: string) =>
    new ProblemError(403, {
      detail: `${path} leads outside the storage this port may reach.`,
      messageKey: 'storage.outsideRoot',
      args: { path },
    }),
  credentialsRefused: (service: string) =>
    new ProblemError(403, {
      detail: `${service} refused the user's credentials; the user must connect again.`,
      messageKey: 'storage.credentialsRefused',
      args: { servicename: service },
    }),
  unreachable: (service: string) =>
    new ProblemError(504, {
      detail: `${service} could not be reached.`,
      messageKey: 'storage.unreachable',
      args: { servicename: service },
    }),
  sizeMismatch: (path: string, expected: number, received: number) =>
    new ProblemError(400, {
      detail: `The upload of ${path} ended after ${received} of ${expected} bytes; nothing was written.`,
      messageKey: 'storage.incompleteUpload',
      args: { path, expected, received },
    }),
};
