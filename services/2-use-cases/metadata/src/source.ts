/** The `ro-crate-metadata.json` of a folder in a storage port (the fileStorage interface). */
import { ProblemError, UpstreamError, type ContractClient, type Response } from '@rds/kit';
import type { operations as FileStorageOperations } from '@rds/contracts/generated/file-storage';
import { DESCRIPTOR_ID as CRATE_FILE, invalidCrate } from '@rds/ro-crate';

/** Crates list every file they describe; a large dataset's runs to megabytes, not to hundreds. */
const MAX_CRATE_BYTES = 32 * 1024 * 1024;

export interface Source {
  name: string;
  /** The storage port, called by the operations of the interface it serves. */
  port: ContractClient<FileStorageOperations>;
}

export const cratePath = (folder: string) => `${folder.replace(/\/+$/, '')}/${CRATE_FILE}`;

/**
 * A refusal of the storage port, as a problem of this service: its status where it is the
 * caller's to fix (4xx), and the port's messageKey as the reason, never its body.
 */
async function refused(source: Source, path: string, response: Response): Promise<ProblemError> {
  if (response.status < 400 || response.status >= 500 || response.status === 401) {
    await response.body.dump();
    return new UpstreamError(source.name, response.status);
  }
  const problem = (await response.body.json().catch(() => undefined)) as
    { messageKey?: unknown } | undefined;
  const reason = typeof problem?.messageKey === 'string' ? problem.messageKey : undefined;
  return new ProblemError(response.status, {
    detail: `${source.name} refused ${path} (${response.status}${reason ? `, ${reason}` : ''}).`,
    messageKey: 'source.refused',
    args: { source: source.name, path, ...(reason ? { reason } : {}) },
  });
}

async function readLimited(body: Response['body'], path: string): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += (chunk as Buffer).length;
    if (size > MAX_CRATE_BYTES) {
      body.destroy();
      throw invalidCrate(`${path} is larger than ${MAX_CRATE_BYTES} bytes.`);
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** The parsed crate file of a folder, or undefined when the folder has none. */
export async function downloadCrate(source: Source, folder: string): Promise<unknown> {
  const path = cratePath(folder);
  const response = await source.port.stream('downloadFile', { query: { path } });
  if (response.status === 404) {
    await response.body.dump();
    return undefined;
  }
  if (response.status !== 200) throw await refused(source, path, response);
  const text = await readLimited(response.body, path);
  try {
    return JSON.parse(text);
  } catch {
    throw invalidCrate(`${path} is not JSON.`);
  }
}

export async function uploadCrate(source: Source, folder: string, crate: object): Promise<void> {
  const path = cratePath(folder);
  const body = Buffer.from(`${JSON.stringify(crate, null, 2)}\n`);
  const response = await source.port.stream('uploadFile', {
    query: { path },
    body,
    headers: { 'content-type': 'application/octet-stream', 'content-length': String(body.length) },
  });
  if (response.status !== 200 && response.status !== 201)
    throw await refused(source, path, response);
  await response.body.dump();
}
