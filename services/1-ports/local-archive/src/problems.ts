import { ProblemError } from '@rds/kit';
import { repositoryProblems } from '@rds/ports';

/** The problems this port answers with: those of every repository port, and the archive's own. */
export const problems = {
  ...repositoryProblems,
  keyConflict: (key: string, other: string) =>
    new ProblemError(409, {
      detail: `The key ${JSON.stringify(key)} clashes with the file ${JSON.stringify(other)}: a name cannot be a file and a folder at once.`,
      messageKey: 'repository.keyConflict',
      args: { key, other },
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
