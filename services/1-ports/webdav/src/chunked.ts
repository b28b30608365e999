import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { ProblemError, type Response } from '@rds/kit';
import { storageProblems } from '@rds/ports';
import type { IncomingBody } from './body.ts';
import { settle, SERVICENAME, type DavSession } from './session.ts';

/** Nextcloud numbers chunks 1 to 10000. */
const MAX_CHUNKS = 10_000;

export interface ChunkedUpload {
  /** The storage path being written, for problems. */
  path: string;
  /** The user's uploads collection (`/remote.php/dav/uploads/{user}`), URL-encoded. */
  uploads: string;
  /** The absolute URL of the file to write. */
  destination: string;
  body: IncomingBody;
  length: number;
  chunkSize: number;
  /** How long to keep checking for the file when the MOVE that assembles it gets no answer. */
  assemblyTimeoutMs: number;
  /** Whether the destination now holds the whole upload. */
  assembled: () => Promise<boolean>;
}

/**
 * Nextcloud chunked upload v2: MKCOL an upload folder naming its destination, PUT the chunks as
 * they arrive, MOVE `.file` to assemble them. Each chunk streams through with its length known,
 * so memory holds no chunk. The folder is deleted when anything fails. Returns false, before
 * reading the body, when the server takes no chunked uploads.
 */
export async function uploadInChunks(session: DavSession, upload: ChunkedUpload): Promise<boolean> {
  const { path, length } = upload;
  const folder = `${upload.uploads}/rds-${randomUUID()}`;
  const destination = { destination: upload.destination };
  const made = await session.send({ method: 'MKCOL', path: folder, headers: destination });
  if (made.status === 404 || made.status === 405) {
    await made.body.dump();
    return false;
  }
  await settle(made, [201], path);
  const headers = { ...destination, 'oc-total-length': String(length) };
  const chunkSize = Math.max(upload.chunkSize, Math.ceil(length / MAX_CHUNKS));
  try {
    for (let n = 1, offset = 0; offset < length; n++, offset += chunkSize) {
      const size = Math.min(chunkSize, length - offset);
      const stored = await session.send({
        method: 'PUT',
        path: `${folder}/${n}`,
        body: upload.body.piece(size),
        headers: {
          ...headers,
          'content-type': 'application/octet-stream',
          'content-length': String(size),
        },
      });
      await settle(stored, [201, 204], path);
    }
    await assemble(session, folder, headers, upload);
  } catch (error) {
    await session.send({ method: 'DELETE', path: folder }).then(
      (response) => response.body.dump(),
      () => undefined,
    );
    throw error;
  }
  return true;
}

/** A MOVE that gets no answer (a timeout, a gateway giving up) may still succeed: look before failing. */
async function assemble(
  session: DavSession,
  folder: string,
  headers: Record<string, string>,
  upload: ChunkedUpload,
): Promise<void> {
  let answer: Response | undefined;
  try {
    answer = await session.send({
      method: 'MOVE',
      path: `${folder}/.file`,
      headers: { ...headers, overwrite: 'T' },
    });
  } catch (error) {
    if (!isUnreachable(error)) throw error;
  }
  if (answer && ![502, 504].includes(answer.status)) return settle(answer, [201, 204], upload.path);
  await answer?.body.dump();
  const deadline = Date.now() + upload.assemblyTimeoutMs;
  const interval = Math.min(1000, upload.assemblyTimeoutMs / 10);
  while (!(await upload.assembled())) {
    if (Date.now() >= deadline) throw storageProblems.unreachable(SERVICENAME);
    await sleep(interval);
  }
}

function isUnreachable(error: unknown): boolean {
  return error instanceof ProblemError && error.init.messageKey === 'storage.unreachable';
}
