import { parseRetryAfter, ProblemError, UpstreamError } from '@rds/kit';
import { repositoryProblems } from '@rds/ports';

/**
 * The problems this port answers with: those of every repository port, and Zenodo's own. Keys
 * are stable (`repository.*`), so the exporter and the UI can tell a full record from refused
 * metadata from a repository that failed.
 */
export const problems = {
  ...repositoryProblems,
  tooManyFiles: (id: string, maxFiles: number) =>
    new ProblemError(409, {
      detail: `Record ${id} already holds ${maxFiles} files, the most this target takes; pack files into an archive or split the record.`,
      messageKey: 'repository.tooManyFiles',
      args: { recordId: id, maxFiles },
    }),
  fileTooLarge: (key: string, size: number, maxFileSize: number) =>
    new ProblemError(413, {
      detail: `${JSON.stringify(key)} has ${size} bytes; this target takes files of at most ${maxFileSize} bytes.`,
      messageKey: 'repository.fileTooLarge',
      args: { key, size, maxFileSize },
    }),
  recordTooLarge: (id: string, maxRecordSize: number) =>
    new ProblemError(413, {
      detail: `With this file, record ${id} would hold more than ${maxRecordSize} bytes, the most this target takes.`,
      messageKey: 'repository.recordTooLarge',
      args: { recordId: id, maxRecordSize },
    }),
  foldersUnsupported: (key: string, servicename: string) =>
    new ProblemError(400, {
      detail: `${servicename} has no folders: the key ${JSON.stringify(key)} must not contain "/". Encode the path into the name.`,
      messageKey: 'repository.foldersUnsupported',
      args: { key, servicename },
    }),
  keyTooLong: (key: string, maxKeyLength: number, servicename: string) =>
    new ProblemError(400, {
      detail: `${servicename} takes names of at most ${maxKeyLength} characters; ${JSON.stringify(key.slice(0, 60))}… has ${[...key].length}. Shorten the name.`,
      messageKey: 'repository.keyTooLong',
      args: { key: key.slice(0, 200), maxKeyLength, servicename },
    }),
  /** Zenodo refuses 0-byte files at commit; sending them would only leave a pending file. */
  emptyFile: (key: string, servicename: string) =>
    new ProblemError(422, {
      detail: `${servicename} takes no empty files: ${JSON.stringify(key)} has 0 bytes.`,
      messageKey: 'repository.emptyFile',
      args: { key, servicename },
    }),
  /** The repository refused the file's content itself: sending it again would not help. */
  uploadRefused: (key: string, servicename: string, reason: string) =>
    new ProblemError(422, {
      detail: `${servicename} refused ${JSON.stringify(key)}: ${reason}`,
      messageKey: 'repository.uploadRefused',
      args: { key, servicename, reason },
    }),
  uploadBrokeOff: (key: string, servicename: string, sent: number) =>
    new ProblemError(502, {
      detail: `${servicename} broke off the upload of ${JSON.stringify(key)} after ${sent} bytes; nothing was kept. Send it again.`,
      messageKey: 'repository.uploadBrokeOff',
      args: { key, servicename, sent },
    }),
  checksumMismatch: (key: string, servicename: string) =>
    new ProblemError(502, {
      detail: `${servicename} stored ${JSON.stringify(key)} with another checksum than the bytes sent; the file was removed. Send it again.`,
      messageKey: 'repository.checksumMismatch',
      args: { key, servicename },
    }),
  /**
   * The user's connection no longer works, or there is none: whatever status the repository used
   * (InvenioRDM answers 403 to a token it no longer takes), the user must connect again.
   */
  reconnect: (servicename: string, displayName: string, why: 'refused' | 'missing') =>
    new ProblemError(403, {
      detail:
        why === 'refused'
          ? `${displayName} no longer accepts your connection; connect ${displayName} again under Connected services.`
          : `Your connection to ${displayName} is missing or has expired; connect ${displayName} under Connected services.`,
      messageKey: 'repository.reconnect',
      args: { servicename, displayName },
    }),
  /** Any other refusal of the repository (a 4xx): final, in the repository's own words. */
  refused: (servicename: string, reason: string) =>
    new ProblemError(422, {
      detail: `${servicename} refused this: ${reason}`,
      messageKey: 'repository.refused',
      args: { servicename, reason },
    }),
  forbidden: (servicename: string, id: string) =>
    new ProblemError(403, {
      detail: `${servicename} does not let this user reach record ${id}.`,
      messageKey: 'repository.forbidden',
      args: { servicename, recordId: id },
    }),
  rateLimited: (servicename: string, retryAfterSeconds: number) =>
    new ProblemError(503, {
      detail: `${servicename} keeps refusing calls for this user (rate limit); try again in ${retryAfterSeconds} s.`,
      messageKey: 'repository.rateLimited',
      args: { servicename, retryAfterSeconds },
      headers: { 'retry-after': String(retryAfterSeconds) },
    }),
};

/** The repository's reason for a refusal (its `message`), as one short line of plain text. */
export function refusalOf(answer: { status: number; data?: unknown }): string {
  const message = (answer.data as { message?: unknown } | undefined)?.message;
  if (typeof message !== 'string' || !message.trim()) return `it answered ${answer.status}.`;
  const line = [...message]
    .map((c) => (c.charCodeAt(0) < 32 || c === '\u007f' ? ' ' : c))
    .join('')
    .trim();
  return line.length > 300 ? `${line.slice(0, 299)}…` : line;
}

/**
 * An answer no handler expected, as the problem it means: a refusal (4xx) with the repository's
 * own reason, never more of its body.
 */
export function unexpected(
  servicename: string,
  answer: {
    status: number;
    headers: Record<string, string | string[] | undefined>;
    data?: unknown;
  },
  id: string,
): ProblemError {
  switch (answer.status) {
    case 403:
      return problems.forbidden(servicename, id);
    case 404:
      return problems.recordNotFound(id);
    case 429: {
      const retryAfter = answer.headers['retry-after'];
      const waitMs = parseRetryAfter(Array.isArray(retryAfter) ? retryAfter[0] : retryAfter);
      return problems.rateLimited(servicename, Math.max(1, Math.ceil((waitMs ?? 60_000) / 1000)));
    }
    default:
      // Another refusal is the repository's final word: repeating it would not help.
      if (answer.status >= 400 && answer.status < 500)
        return problems.refused(servicename, refusalOf(answer));
      return new UpstreamError(servicename, answer.status);
  }
}
