import { Readable } from 'node:stream';
import type { components } from '@rds/contracts/generated/file-storage';
import { ProblemError, type Response } from '@rds/kit';
import {
  baseName,
  joinPath,
  meter,
  pageOf,
  parentOf,
  storageProblems,
  type ByteRange,
  type FileContent,
  type FileStorage,
  type FolderPage,
  type WantedRange,
} from '@rds/ports';
import { IncomingBody } from './body.ts';
import { uploadInChunks } from './chunked.ts';
import { PROPFIND_BODY, parseMultistatus, type DavResource } from './multistatus.ts';
import { expectStatus, problemFor, settle, SERVICENAME, type DavSession } from './session.ts';

export type Entry = components['schemas']['Entry'];

export interface ServerLayout {
  /** The server's base URL, e.g. `https://cloud.example.org` or `https://example.org/nextcloud`. */
  baseUrl: string;
  /** Where a user's files are, below the base URL; `{user}` is the user id at the server. */
  filesPath: string;
  /** Where Nextcloud takes chunked uploads, below the base URL. */
  uploadsPath: string;
}

export interface UploadOptions {
  /** Files larger than this many bytes go up in chunks, where the server takes them. */
  chunkThreshold: number;
  chunkSize: number;
  /** How long a MOVE that assembles the chunks may take before its outcome is checked instead. */
  assemblyTimeoutMs: number;
}

/** One user's files on the WebDAV server, in storage paths (`/data/run 1/a.csv`). */
export class UserFiles implements FileStorage {
  private readonly session: DavSession;
  private readonly layout: ServerLayout;
  private readonly uploads: UploadOptions;
  private readonly user: string;
  private readonly root: string;
  private readonly rootSegments: string[];

  constructor(session: DavSession, layout: ServerLayout, uploads: UploadOptions, user: string) {
    this.session = session;
    this.layout = layout;
    this.uploads = uploads;
    this.user = user;
    this.root = layout.filesPath.replace('{user}', encodeURIComponent(user)).replace(/\/$/, '');
    this.rootSegments = decodedSegments(this.url(this.root).pathname) ?? [];
  }

  async stat(path: string): Promise<Entry> {
    const [resource] = await this.propfind(path, 0);
    if (!resource) throw storageProblems.notFound(path);
    return entryOf(path, resource);
  }

  async list(
    path: string,
    { limit, cursor }: { limit: number; cursor?: string },
  ): Promise<FolderPage> {
    return pageOf(await this.entries(path), limit, cursor);
  }

  /** The folder's entries, unsorted. One level: Depth 1, never infinity. */
  private async entries(path: string): Promise<Entry[]> {
    const entries: Entry[] = [];
    let self: Entry | undefined;
    for (const resource of await this.propfind(path, 1)) {
      const at = this.pathOf(resource.href);
      if (at === path) self = entryOf(path, resource);
      else if (at !== undefined && at !== '/' && parentOf(at) === path)
        entries.push(entryOf(at, resource));
    }
    if (!self) throw storageProblems.notFound(path);
    if (self.type !== 'folder') throw storageProblems.notAFolder(path);
    return entries;
  }

  /** Makes the folder and any missing above it; a folder that exists is fine. */
  async makeFolder(path: string, parentMade = false): Promise<Entry> {
    const response = await this.session.send({ method: 'MKCOL', path: this.davPath(path) });
    // 409: a folder above is missing. Apache says 400 when a file is above.
    if ((response.status === 409 || response.status === 400) && path !== '/' && !parentMade) {
      await response.body.dump();
      await this.makeFolder(parentOf(path));
      return this.makeFolder(path, true);
    }
    // 405: something is there already; it must be a folder.
    await settle(response, [201, 405], path);
    const entry = await this.stat(path);
    if (entry.type !== 'folder') throw storageProblems.notAFolder(path);
    return entry;
  }

  async delete(path: string): Promise<void> {
    if (path === '/') throw storageProblems.outsideRoot(path);
    const response = await this.session.send({ method: 'DELETE', path: this.davPath(path) });
    await settle(response, [200, 204], path);
  }

  async read(path: string, wanted: WantedRange | undefined): Promise<FileContent> {
    if (wanted === undefined) return this.readWhole(path);
    // A range is checked against the file's size, which a 416 and a Content-Range name.
    const entry = await this.stat(path);
    if (entry.type !== 'file') throw storageProblems.notAFile(path);
    const size = entry.size ?? 0;
    const range = wanted.within(size);
    const response = await expectStatus(
      await this.session.send({
        method: 'GET',
        path: this.davPath(path),
        headers: range ? { range: `bytes=${range.start}-${range.end}` } : {},
      }),
      [200, 206],
      path,
    );
    const length = lengthOf(response);
    if (!range) return { body: response.body, ...length };
    const part = { range, size };
    if (response.status === 206) return { body: response.body, part, ...length };
    // The server may ignore Range (RFC 9110 section 14.2): cut the part from the whole.
    return {
      body: slice(response.body, range),
      part,
      length: range.end - range.start + 1,
    };
  }

  /**
   * The whole file in one GET, without a PROPFIND first: the answer's length is the file's, and
   * a server answers no collection's GET with a 200 (Apache without an index, Nextcloud and
   * ownCloud refuse it), so only a refusal needs the PROPFIND, to say what is at the path.
   */
  private async readWhole(path: string): Promise<FileContent> {
    const response = await this.session.send({ method: 'GET', path: this.davPath(path) });
    if (response.status === 200) return { body: response.body, ...lengthOf(response) };
    await response.body.dump();
    const entry = await this.stat(path);
    if (entry.type !== 'file') throw storageProblems.notAFile(path);
    throw problemFor(response.status, path);
  }

  /**
   * Writes the file whole; a sender that stops early is told so, and the rest of its body is let
   * pass, so that its connection can carry the answer.
   */
  async write(path: string, incoming: Readable, length: number): Promise<Entry> {
    const metered = meter(incoming, { expectedLength: length });
    const body = new IncomingBody(metered);
    return this.upload(path, body, length).catch(async (error: unknown) => {
      await body.discardRest();
      if (!metered.senderFailed.aborted) throw error;
      throw storageProblems.sizeMismatch(path, length, metered.bytes);
    });
  }

  /** Writes the file whole, in chunks where it is large and the server takes them. */
  private async upload(path: string, body: IncomingBody, length: number): Promise<Entry> {
    const options = this.uploads;
    const folder = await this.stat(parentOf(path)).catch((error: unknown) => {
      throw isNotFound(error) ? storageProblems.parentMissing(path) : error;
    });
    if (folder.type !== 'folder') throw storageProblems.parentMissing(path);
    const existing = await this.stat(path).catch((error: unknown) => {
      if (isNotFound(error)) return undefined;
      throw error;
    });
    if (existing?.type === 'folder') throw storageProblems.notAFile(path);
    const chunked =
      length > options.chunkThreshold &&
      (await uploadInChunks(this.session, {
        path,
        uploads: this.layout.uploadsPath.replace('{user}', encodeURIComponent(this.user)),
        destination: this.url(this.davPath(path)).href,
        body,
        length,
        chunkSize: options.chunkSize,
        assemblyTimeoutMs: options.assemblyTimeoutMs,
        assembled: async () => {
          const now = await this.stat(path).catch(() => undefined);
          return now?.size === length && (!existing || now.etag !== existing.etag);
        },
      }));
    if (!chunked) {
      const response = await this.session.send({
        method: 'PUT',
        path: this.davPath(path),
        body: body.piece(length),
        headers: { 'content-type': 'application/octet-stream', 'content-length': String(length) },
      });
      await settle(response, [200, 201, 204], path);
    }
    return this.stat(path);
  }

  private async propfind(path: string, depth: 0 | 1): Promise<DavResource[]> {
    const response = await this.session.send({
      method: 'PROPFIND',
      path: this.davPath(path),
      headers: { depth: String(depth), 'content-type': 'application/xml; charset=utf-8' },
      body: PROPFIND_BODY,
      idempotent: true,
    });
    // Our PROPFIND is well-formed: a 400 is Apache's answer for a path below a file.
    if (response.status === 400) {
      await response.body.dump();
      throw storageProblems.notFound(path);
    }
    await expectStatus(response, [207], path);
    const xml = await response.body.text();
    let resources: DavResource[];
    try {
      resources = parseMultistatus(xml);
    } catch {
      throw new ProblemError(502, {
        detail: `${SERVICENAME} answered a PROPFIND with a multistatus that cannot be read.`,
        messageKey: 'upstream.failed',
        args: { upstream: SERVICENAME },
      });
    }
    return depth === 0 ? resources.slice(0, 1) : resources;
  }

  /** The URL path of a storage path, each segment encoded: `#`, `?` and `%` stay part of the name. */
  private davPath(path: string): string {
    if (path === '/') return this.root;
    return `${this.root}/${path.slice(1).split('/').map(encodeURIComponent).join('/')}`;
  }

  private url(davPath: string): URL {
    return new URL(davPath.replace(/^\//, ''), this.layout.baseUrl.replace(/\/?$/, '/'));
  }

  /** The storage path of an href (a path or an absolute URL); undefined when it lies elsewhere. */
  private pathOf(href: string): string | undefined {
    const segments = decodedSegments(new URL(href, this.layout.baseUrl).pathname);
    if (!segments || !this.rootSegments.every((s, i) => segments[i] === s)) return undefined;
    const rest = segments.slice(this.rootSegments.length);
    return rest.length === 0 ? '/' : rest.reduce(joinPath, '/');
  }
}

function entryOf(path: string, resource: DavResource): Entry {
  return {
    name: baseName(path),
    path,
    type: resource.folder ? 'folder' : 'file',
    ...(resource.folder ? {} : { size: resource.size ?? 0 }),
    ...(resource.modified ? { modified: resource.modified } : {}),
    ...(resource.checksum ? { checksum: resource.checksum } : {}),
    ...(resource.etag ? { etag: resource.etag } : {}),
  };
}

/** Decoded, non-empty segments; undefined for malformed encoding or a decoded `/` in a name. */
function decodedSegments(pathname: string): string[] | undefined {
  try {
    const segments = pathname
      .split('/')
      .filter((s) => s !== '')
      .map(decodeURIComponent);
    return segments.some((s) => s.includes('/')) ? undefined : segments;
  } catch {
    return undefined;
  }
}

function lengthOf(response: Response): { length?: number } {
  const length = Number(response.headers['content-length']);
  return Number.isSafeInteger(length) ? { length } : {};
}

function isNotFound(error: unknown): boolean {
  return (error as { init?: { messageKey?: string } }).init?.messageKey === 'storage.notFound';
}

/** Bytes `start` to `end` (inclusive) of a stream; the stream is let go once they have passed. */
function slice(body: Readable, { start, end }: ByteRange): Readable {
  return Readable.from(
    (async function* () {
      let offset = 0;
      for await (const chunk of body as AsyncIterable<Buffer>) {
        const from = Math.max(0, start - offset);
        const to = Math.min(chunk.length, end + 1 - offset);
        offset += chunk.length;
        if (from < to) yield chunk.subarray(from, to);
        if (offset > end) return;
      }
    })(),
    { objectMode: false },
  );
}
