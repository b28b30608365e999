import type { Readable } from 'node:stream';
import { UpstreamError } from '@rds/kit';
import { meter, type Repository } from '@rds/ports';
import {
  answered,
  locate,
  missingDraft,
  paths,
  toFiles,
  type InvenioFile,
  type InvenioFiles,
} from './invenio.ts';
import { problems, refusalOf, unexpected } from './problems.ts';
import type { Answer, InvenioSession, Upstream } from './session.ts';

/** What the files of a record are: the file operations of the repository interface. */
export type FileOperations = Pick<Repository, 'listFiles' | 'putFile' | 'deleteFile'>;

/** What one record of the target can hold. */
export interface Limits {
  maxFiles: number;
  /** Bytes. */
  maxFileSize: number;
  /** Bytes, all files together. */
  maxRecordSize: number;
  /** Whether keys may hold `/`. */
  folders: boolean;
  /** Characters (code points). */
  maxKeyLength: number;
  /** Whether 0-byte files are taken: not on Zenodo, which refuses them at commit. */
  emptyFiles: boolean;
}

/**
 * Statuses with which the repository refuses a file's content itself (its own size limit, say:
 * Zenodo's `File size limit exceeded`): final, and the user can act on the repository's reason.
 */
const REFUSED = new Set([400, 413, 422]);

/** The file operations of one user's session with the repository. */
export function fileOperations(
  upstream: Upstream,
  limits: Limits,
): (session: InvenioSession) => FileOperations {
  const { servicename } = upstream;

  function checkKey(key: string): void {
    if ([...key].some((c) => c.charCodeAt(0) < 32 || c === '\u007f'))
      throw problems.badKey(key, 'it contains control characters');
    if (key.includes('/') && !limits.folders) throw problems.foldersUnsupported(key, servicename);
    // A "." or ".." segment would be resolved away in the URL and name another file.
    if (key.split('/').some((segment) => ['', '.', '..'].includes(segment)))
      throw problems.badKey(key, 'it has an empty, "." or ".." segment');
    if ([...key].length > limits.maxKeyLength)
      throw problems.keyTooLong(key, limits.maxKeyLength, servicename);
  }

  async function removeFile(session: InvenioSession, id: string, key: string): Promise<void> {
    const answer = await session.call({ method: 'DELETE', path: paths.draftFile(id, key) });
    if (answer.status !== 204 && answer.status !== 404) throw unexpected(servicename, answer, id);
  }

  /**
   * Streams the caller's body into the pending file, hashing it on the way. When the upload
   * fails, what reached the repository is removed and the rest of the caller's body is drained,
   * so that the caller gets an answer and may send the file again.
   */
  async function sendContent(
    session: InvenioSession,
    id: string,
    key: string,
    source: Readable,
    size: number,
  ): Promise<string> {
    // When the caller goes away, the meter fails, and with it the upload upstream.
    const metered = meter(source, { hashes: ['md5'], expectedLength: size });
    let answer: Answer<unknown> | undefined;
    let failure: unknown;
    try {
      answer = await session.call({
        method: 'PUT',
        path: `${paths.draftFile(id, key)}/content`,
        body: metered,
        headers: { 'content-type': 'application/octet-stream', 'content-length': String(size) },
      });
    } catch (error) {
      failure = error;
    }
    if (answer?.status === 200 && metered.bytes === size) return `md5:${metered.digest('md5')}`;
    metered.discardRest();
    await removeFile(session, id, key).catch(() => undefined);
    if (metered.senderFailed.aborted) throw problems.incompleteUpload(key, size, metered.bytes);
    if (answer && REFUSED.has(answer.status))
      throw problems.uploadRefused(key, servicename, refusalOf(answer));
    if (answer) throw unexpected(servicename, answer, id);
    if (failure instanceof UpstreamError && failure.upstreamStatus === undefined)
      throw problems.uploadBrokeOff(key, servicename, metered.bytes);
    throw failure;
  }

  return (session) => ({
    listFiles: async (id) => {
      const draft = await session.call<InvenioFiles>({ path: paths.draftFiles(id) });
      if (draft.status !== 404) return toFiles(answered(draft, [200], servicename, id));
      const published = await session.call<InvenioFiles>({ path: paths.recordFiles(id) });
      if (published.status === 404) throw problems.recordNotFound(id);
      return toFiles(answered(published, [200], servicename, id));
    },

    putFile: async (id, key, source, size) => {
      checkKey(key);
      if (size > limits.maxFileSize) throw problems.fileTooLarge(key, size, limits.maxFileSize);
      if (size === 0 && !limits.emptyFiles) throw problems.emptyFile(key, servicename);
      const listed = await session.call<InvenioFiles>({ path: paths.draftFiles(id) });
      if (listed.status === 404) throw await missingDraft(session, servicename, id, 'changed');
      const entries = answered(listed, [200], servicename, id).entries ?? [];
      const others = entries.filter((entry) => entry.key !== key);
      if (others.length >= limits.maxFiles) throw problems.tooManyFiles(id, limits.maxFiles);
      const othersSize = others.reduce((sum, entry) => sum + (entry.size ?? 0), 0);
      if (othersSize + size > limits.maxRecordSize)
        throw problems.recordTooLarge(id, limits.maxRecordSize);
      // The file is replaced; a pending one is what an upload that broke off left behind.
      if (others.length < entries.length) await removeFile(session, id, key);
      const started = await session.call({
        method: 'POST',
        path: paths.draftFiles(id),
        json: [{ key }],
      });
      if (started.status !== 201) throw unexpected(servicename, started, id);
      const checksum = await sendContent(session, id, key, source, size);
      const commit = await session.call<InvenioFile>({
        method: 'POST',
        path: `${paths.draftFile(id, key)}/commit`,
      });
      if (REFUSED.has(commit.status)) {
        // A refused commit leaves the file pending; it would only stand in the way of publishing.
        await removeFile(session, id, key).catch(() => undefined);
        throw problems.uploadRefused(key, servicename, refusalOf(commit));
      }
      const committed = answered(commit, [200, 201], servicename, id);
      if (committed.checksum !== checksum || committed.size !== size) {
        await removeFile(session, id, key);
        throw problems.checksumMismatch(key, servicename);
      }
      return { key, size, checksum, status: 'completed' };
    },

    deleteFile: async (id, key) => {
      const answer = await session.call({ method: 'DELETE', path: paths.draftFile(id, key) });
      if (answer.status === 204) return;
      if (answer.status !== 404) throw unexpected(servicename, answer, id);
      const where = await locate(session, servicename, id);
      if (where === 'draft') throw problems.fileNotFound(id, key);
      throw where === 'published' ? problems.notADraft(id, 'changed') : problems.recordNotFound(id);
    },
  });
}
