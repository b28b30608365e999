import { ProblemError } from '@rds/kit';
import type { Finding } from './repository.ts';

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

/**
 * The problems every repository port answers with (`repository.*`), so that the exporter and the
 * UI tell a missing record from a published one from refused metadata, whatever the target. A
 * port adds its own beside these.
 */
export const repositoryProblems = {
  recordNotFound: (id: string) =>
    new ProblemError(404, {
      detail: `There is no record ${id}.`,
      messageKey: 'repository.recordNotFound',
      args: { recordId: id },
    }),
  fileNotFound: (id: string, key: string) =>
    new ProblemError(404, {
      detail: `Record ${id} has no file ${JSON.stringify(key)}.`,
      messageKey: 'repository.fileNotFound',
      args: { recordId: id, key },
    }),
  notADraft: (id: string, action: string) =>
    new ProblemError(409, {
      detail: `Record ${id} is published; only a draft can be ${action}. Make a new version to change it.`,
      messageKey: 'repository.notADraft',
      args: { recordId: id, action },
    }),
  notPublished: (id: string) =>
    new ProblemError(409, {
      detail: `Record ${id} is a draft; a new version needs a published record.`,
      messageKey: 'repository.notPublished',
      args: { recordId: id },
    }),
  /** `shownAs` is how the detail names the target (its service name unless told). */
  metadataRefused: (servicename: string, findings: Finding[], shownAs = servicename) =>
    new ProblemError(422, {
      detail: `${shownAs} would refuse this metadata: ${findings.map((f) => f.field || '/').join(', ')}.`,
      messageKey: 'repository.metadataRefused',
      args: { servicename },
      errors: findings.map((f) => ({
        detail: `${f.field || '/'} ${f.detail}`,
        pointer: `#${f.field}`,
      })),
    }),
  filesIncomplete: (id: string) =>
    new ProblemError(409, {
      detail: `Record ${id} cannot be published: it has no files, or some are not complete.`,
      messageKey: 'repository.filesIncomplete',
      args: { recordId: id },
    }),
  badKey: (key: string, why: string) =>
    new ProblemError(400, {
      detail: `The key ${JSON.stringify(key.slice(0, 200))} is not valid: ${why}.`,
      messageKey: 'repository.badKey',
      args: { key: key.slice(0, 200) },
    }),
  incompleteUpload: (key: string, expected: number, received: number) =>
    new ProblemError(400, {
      detail: `The upload of ${JSON.stringify(key)} ended after ${received} of ${expected} bytes; nothing was kept.`,
      messageKey: 'repository.incompleteUpload',
      args: { key, expected, received },
    }),
};
