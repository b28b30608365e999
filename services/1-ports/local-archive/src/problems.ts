import { ProblemError } from '@rds/kit';
import type { Finding } from '@rds/ports';

/**
 * The problems this port answers with. The `repository.*` keys are those every repository port
 * uses, so the exporter and the UI tell them apart the same way whatever the target.
 */
export const problems = {
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
  metadataRefused: (findings: Finding[]) =>
    new ProblemError(422, {
      detail: `The archive would refuse this metadata: ${findings.map((f) => f.field).join(', ')}.`,
      messageKey: 'repository.metadataRefused',
      args: { servicename: 'local-archive' },
      errors: findings.map((f) => ({ detail: `${f.field} ${f.detail}`, pointer: `#${f.field}` })),
    }),
  filesIncomplete: (id: string) =>
    new ProblemError(409, {
      detail: `Record ${id} cannot be published: it has no files.`,
      messageKey: 'repository.filesIncomplete',
      args: { recordId: id },
    }),
  badKey: (key: string, why: string) =>
    new ProblemError(400, {
      detail: `The key ${JSON.stringify(key.slice(0, 200))} is not valid: ${why}.`,
      messageKey: 'repository.badKey',
      args: { key: key.slice(0, 200) },
    }),
  keyConflict: (key: string, other: string) =>
    new ProblemError(409, {
      detail: `The key ${JSON.stringify(key)} clashes with the file ${JSON.stringify(other)}: a name cannot be a file and a folder at once.`,
      messageKey: 'repository.keyConflict',
      args: { key, other },
    }),
  incompleteUpload: (key: string, expected: number, received: number) =>
    new ProblemError(400, {
      detail: `The upload of ${JSON.stringify(key)} ended after ${received} of ${expected} bytes; nothing was kept.`,
      messageKey: 'repository.incompleteUpload',
      args: { key, expected, received },
    }),
  uploadInterrupted: (key: string) =>
    new ProblemError(400, {
      detail: `The upload of ${JSON.stringify(key)} broke off before its end; nothing was kept.`,
      messageKey: 'repository.uploadInterrupted',
      args: { key },
    }),
  badCrate: (why: string) =>
    new ProblemError(400, {
      detail: `This ro-crate-metadata.json cannot be the record's RO-Crate: ${why}.`,
      messageKey: 'repository.badCrate',
    }),
  archiveDamaged: (id: string, key: string) =>
    new ProblemError(500, {
      detail: `The archived file ${JSON.stringify(key)} of record ${id} no longer matches its checksum.`,
      messageKey: 'repository.archiveDamaged',
      args: { recordId: id, key },
    }),
};
