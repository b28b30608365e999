/**
 * A fake InvenioRDM / Zenodo records API, written from the InvenioRDM REST API reference
 * ("Drafts and Records") and Zenodo's published limits: drafts, the three-step file upload,
 * publishing with DOIs, new versions with files-import, bearer tokens with owners, rate limits,
 * Zenodo's 100 files per record and no folders. Fault hooks reproduce what users of Zenodo hit:
 * a publish answered 504 although it succeeded, uploads cut off half-way, and uploads that hang
 * (a slow link) until the test lets them through.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import Fastify, { type FastifyReply, type FastifyRequest } from 'fastify';
import { validateMetadata, type FieldError } from './metadata.ts';
import {
  latestPublished,
  now,
  release,
  Repository,
  touch,
  type Draft,
  type FileEntry,
  type Version,
} from './model.ts';

export interface FakeOptions {
  maxFiles: number;
  /** Bytes per file. */
  maxFileSize: number;
  /** Whether file keys may hold `/`; Zenodo's may not. */
  folders: boolean;
  /** Per user, in fixed windows. */
  rateLimit: { requests: number; windowMs: number };
  doiPrefix: string;
  /** The OAuth2 client allowed at `/oauth/token`. */
  oauthClient?: { id: string; secret: string };
}

/** Zenodo's limits: 100 files and 50 GB per record, no folders, 100 requests a minute. */
export const ZENODO: FakeOptions = {
  maxFiles: 100,
  maxFileSize: 50 * 1000 ** 3,
  folders: false,
  rateLimit: { requests: 100, windowMs: 60_000 },
  doiPrefix: '10.5281/zenodo.',
};

export interface LoggedRequest {
  method: string;
  /** The route's template, e.g. `/api/records/:id/draft/actions/publish`. */
  route: string;
  id?: string;
  status: number;
}

export interface FakeInvenio {
  url: string;
  /** Change freely between test cases, e.g. a lower rate limit. */
  options: FakeOptions;
  /** Every request answered, in order. */
  log: LoggedRequest[];
  /** Where uploaded content is kept; removed by `close`. */
  contentFolder: string;
  /** A user with a personal access token; returns the token. */
  addUser: (user: string) => string;
  /** An OAuth2 access token and refresh token for `user`, as `/oauth/token` would issue. */
  issueOAuthTokens: (user: string) => { access_token: string; refresh_token: string };
  /** The token stops working, as an expired or revoked one does. */
  revokeToken: (token: string) => void;
  faults: {
    /** The next publish succeeds but is answered 504, as Zenodo's proxy does when it is slow. */
    failNextPublishAfterPublishing: () => void;
    /** The next content upload has its connection reset once `bytes` have arrived. */
    cutNextUploadAfter: (bytes: number) => void;
    /** The next commit reports a checksum that does not match the content. */
    corruptNextCommit: () => void;
    /**
     * Content uploads from now on wait, unread, until `release` is called, as over a link that
     * has stalled: a test can act while files are in flight. `waiting` counts the uploads held.
     */
    holdUploads: () => HeldUploads;
  };
  close: () => Promise<void>;
}

export interface HeldUploads {
  /** How many uploads are waiting. */
  waiting: () => number;
  /** Lets the waiting uploads through, and those that come later. */
  release: () => void;
}

class InvenioError extends Error {
  readonly status: number;
  readonly errors: FieldError[] | undefined;

  constructor(status: number, message: string, errors?: FieldError[]) {
    super(message);
    this.status = status;
    this.errors = errors;
  }
}

const VALIDATION = 'A validation error occurred.';
const notFound = () => new InvenioError(404, 'The persistent identifier does not exist.');

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Published records are public: readable without a token. */
    public?: boolean;
  }
  interface FastifyRequest {
    user: string | undefined;
  }
}

export async function startFakeInvenio(
  options: Partial<FakeOptions> = {},
  port = 0,
): Promise<FakeInvenio> {
  const settings: FakeOptions = { ...ZENODO, ...options };
  const repository = new Repository();
  const contentFolder = mkdtempSync(join(tmpdir(), 'rds-fake-invenio-'));
  const tokens = new Map<string, string>();
  const refreshTokens = new Map<string, string>();
  const windows = new Map<
    string,
    { start: number; count: number; rule: FakeOptions['rateLimit'] }
  >();
  const log: LoggedRequest[] = [];
  const pending = { publish504: false, cutAfter: undefined as number | undefined, corrupt: false };
  let hold: { gate: Promise<void>; open: () => void; waiting: number } | undefined;
  let url = '';

  const app = Fastify({ logger: false, routerOptions: { maxParamLength: 2048 } });
  app.decorateRequest('user', undefined);
  app.addContentTypeParser('application/octet-stream', (_request, payload, done) =>
    done(null, payload),
  );
  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string' },
    (_request, body, done) => done(null, Object.fromEntries(new URLSearchParams(body as string))),
  );

  app.addHook('onRequest', async (request, reply) => {
    if (!request.url.startsWith('/api/')) return;
    const header = request.headers.authorization;
    const token = header?.startsWith('Bearer ')
      ? header.slice(7)
      : new URL(request.url, 'http://fake').searchParams.get('access_token');
    request.user = token ? tokens.get(token) : undefined;
    if (token && !request.user) throw unauthorized();
    if (!request.user) {
      if (request.routeOptions.config.public) return;
      throw unauthorized();
    }
    if (!withinRateLimit(request.user, reply)) {
      throw new InvenioError(429, 'Too many requests: rate limit exceeded.');
    }
  });
  app.addHook('onResponse', async (request, reply) => {
    const id = (request.params as { id?: string } | undefined)?.id;
    log.push({
      method: request.method,
      route: request.routeOptions.url ?? request.url,
      ...(id ? { id } : {}),
      status: reply.statusCode,
    });
  });
  app.setErrorHandler((error: Error & { statusCode?: number }, _request, reply) => {
    if (error instanceof InvenioError) {
      return reply.code(error.status).send({
        status: error.status,
        message: error.message,
        ...(error.errors ? { errors: error.errors } : {}),
      });
    }
    const status = error.statusCode && error.statusCode < 500 ? error.statusCode : 500;
    return reply.code(status).send({
      status,
      message: status === 500 ? 'Internal server error.' : 'The request could not be understood.',
    });
  });
  app.setNotFoundHandler((_request, reply) =>
    reply
      .code(404)
      .send({ status: 404, message: 'The requested URL was not found on the server.' }),
  );

  function unauthorized(): InvenioError {
    return new InvenioError(
      401,
      'The server could not verify that you are authorized to access the URL requested.',
    );
  }

  function withinRateLimit(user: string, reply: FastifyReply): boolean {
    const rule = settings.rateLimit;
    const { requests, windowMs } = rule;
    const time = Date.now();
    let window = windows.get(user);
    // A changed limit starts afresh, as after a deployment.
    if (!window || window.rule !== rule || time >= window.start + windowMs) {
      window = { start: time, count: 0, rule };
      windows.set(user, window);
    }
    window.count += 1;
    const reset = window.start + windowMs;
    reply
      .header('x-ratelimit-limit', requests)
      .header('x-ratelimit-remaining', Math.max(0, requests - window.count))
      .header('x-ratelimit-reset', Math.ceil(reset / 1000));
    if (window.count <= requests) return true;
    reply.header('retry-after', Math.max(1, Math.ceil((reset - time) / 1000)));
    return false;
  }

  const idOf = (request: FastifyRequest) => (request.params as { id: string }).id;
  const keyOf = (request: FastifyRequest) => (request.params as { key: string }).key;

  function owned(request: FastifyRequest): Version {
    const version = repository.find(idOf(request));
    if (!version) throw notFound();
    if (version.parent.owner !== request.user) throw new InvenioError(403, 'Permission denied.');
    return version;
  }

  function ownDraft(request: FastifyRequest): { version: Version; draft: Draft } {
    const version = owned(request);
    if (!version.draft) throw notFound();
    return { version, draft: version.draft };
  }

  function published(request: FastifyRequest): Version {
    const version = repository.find(idOf(request));
    if (!version?.published) throw notFound();
    return version;
  }

  function recordJson(version: Version, which: 'draft' | 'published') {
    const state = which === 'draft' ? version.draft! : version.published!;
    const api = `${url}/api/records/${version.id}`;
    const doi = version.published?.doi;
    const files = [...state.files.values()];
    const latest = latestPublished(version.parent);
    return {
      id: version.id,
      recid: version.id,
      created: version.created,
      updated: version.updated,
      revision_id: version.revision,
      is_published: which === 'published',
      is_draft: which === 'draft',
      status:
        which === 'published' ? 'published' : version.index > 1 ? 'new_version_draft' : 'draft',
      access: { ...state.access, embargo: { active: false, reason: null } },
      files: {
        enabled: which === 'draft' ? (version.draft!.filesEnabled ?? false) : true,
        order: [],
        count: files.length,
        total_bytes: files.reduce((sum, f) => sum + (f.content?.size ?? 0), 0),
      },
      metadata: state.metadata,
      parent: {
        id: version.parent.id,
        access: { owned_by: { user: version.parent.owner } },
        ...(version.parent.doi ? { pids: { doi: datacite(version.parent.doi) } } : {}),
      },
      pids: which === 'published' && doi ? { doi: datacite(doi) } : {},
      versions: {
        index: version.index,
        is_latest: which === 'published' && latest === version,
        is_latest_draft: version.parent.versions.at(-1) === version,
      },
      links:
        which === 'draft'
          ? {
              self: `${api}/draft`,
              self_html: `${url}/uploads/${version.id}`,
              publish: `${api}/draft/actions/publish`,
              files: `${api}/draft/files`,
              latest: `${api}/versions/latest`,
              latest_html: `${url}/records/${version.id}/latest`,
              versions: `${api}/versions`,
            }
          : {
              self: api,
              self_html: `${url}/records/${version.id}`,
              doi: `https://doi.org/${doi}`,
              files: `${api}/files`,
              latest: `${api}/versions/latest`,
              latest_html: `${url}/records/${version.id}/latest`,
              versions: `${api}/versions`,
            },
      ...(which === 'draft' && version.draft!.errors.length > 0
        ? { errors: version.draft!.errors }
        : {}),
    };
  }

  function fileJson(version: Version, entry: FileEntry, which: 'draft' | 'published') {
    const self = `${url}/api/records/${version.id}${which === 'draft' ? '/draft' : ''}/files/${encodeURIComponent(entry.key)}`;
    const committed = entry.status === 'completed' && entry.content;
    return {
      key: entry.key,
      created: entry.created,
      updated: entry.updated,
      status: entry.status,
      metadata: null,
      ...(committed
        ? {
            checksum: `md5:${entry.content!.md5}`,
            size: entry.content!.size,
            mimetype: 'application/octet-stream',
            storage_class: 'L',
          }
        : {}),
      links: {
        self,
        content: `${self}/content`,
        ...(which === 'draft' ? { commit: `${self}/commit` } : {}),
      },
    };
  }

  function filesJson(version: Version, which: 'draft' | 'published') {
    const state = which === 'draft' ? version.draft! : version.published!;
    const base = `${url}/api/records/${version.id}${which === 'draft' ? '/draft' : ''}/files`;
    return {
      enabled: which === 'draft' ? (version.draft!.filesEnabled ?? false) : true,
      default_preview: null,
      order: [],
      entries: [...state.files.values()].map((entry) => fileJson(version, entry, which)),
      links: { self: base },
    };
  }

  /** The body of `POST /api/records` and `PUT …/draft`: what is valid is kept, the rest reported. */
  function draftFrom(body: unknown, files: Map<string, FileEntry>): Draft {
    const input = (typeof body === 'object' && body !== null ? body : {}) as Record<
      string,
      unknown
    >;
    const { kept, errors } = validateMetadata(input.metadata ?? {});
    const access = accessFrom(input.access, errors);
    const enabled = (input.files as { enabled?: unknown } | undefined)?.enabled;
    if (typeof enabled !== 'boolean') {
      errors.push({ field: 'files.enabled', messages: ['Missing data for required field.'] });
    }
    return {
      metadata: kept,
      access,
      filesEnabled: typeof enabled === 'boolean' ? enabled : undefined,
      errors,
      files,
    };
  }

  function accessFrom(input: unknown, errors: FieldError[]): Draft['access'] {
    const access = { record: 'public', files: 'public' };
    if (input === undefined) return access;
    for (const part of ['record', 'files'] as const) {
      const value = (input as Record<string, unknown>)[part];
      if (value === undefined) continue;
      if (value === 'public' || value === 'restricted') access[part] = value;
      else errors.push({ field: `access.${part}`, messages: ['Invalid value.'] });
    }
    return access;
  }

  app.post('/api/records', async (request, reply) => {
    const version = repository.createRecord(request.user!, draftFrom(request.body, new Map()));
    return reply.code(201).send(recordJson(version, 'draft'));
  });

  app.get('/api/records/:id', { config: { public: true } }, async (request) =>
    recordJson(published(request), 'published'),
  );

  app.get('/api/records/:id/files', { config: { public: true } }, async (request) =>
    filesJson(published(request), 'published'),
  );

  // A published file's bytes, as InvenioRDM serves them to anyone when the files are public.
  app.get(
    '/api/records/:id/files/:key/content',
    { config: { public: true } },
    async (request, reply) => {
      const { key } = request.params as { key: string };
      const content = published(request).published!.files.get(key)?.content;
      if (!content) throw notFound();
      return reply
        .header('content-type', 'application/octet-stream')
        .header('content-length', content.size)
        .send(createReadStream(content.path));
    },
  );

  app.get('/api/records/:id/versions/latest', { config: { public: true } }, async (request) => {
    const version = repository.find(idOf(request));
    const latest = version && latestPublished(version.parent);
    if (!latest) throw notFound();
    return recordJson(latest, 'published');
  });

  app.post('/api/records/:id/versions', async (request, reply) => {
    const version = owned(request);
    if (!version.published) throw notFound();
    const parent = version.parent;
    const next = parent.nextDraftId ? repository.find(parent.nextDraftId) : undefined;
    return reply.code(201).send(recordJson(next ?? repository.newVersion(parent), 'draft'));
  });

  app.get('/api/records/:id/draft', async (request) =>
    recordJson(ownDraft(request).version, 'draft'),
  );

  app.put('/api/records/:id/draft', async (request) => {
    const { version, draft } = ownDraft(request);
    version.draft = draftFrom(request.body, draft.files);
    touch(version);
    return recordJson(version, 'draft');
  });

  app.delete('/api/records/:id/draft', async (request, reply) => {
    const { version } = ownDraft(request);
    repository.discard(version);
    return reply.code(204).send();
  });

  app.get('/api/records/:id/draft/files', async (request) =>
    filesJson(ownDraft(request).version, 'draft'),
  );

  app.post('/api/records/:id/draft/files', async (request, reply) => {
    const { version, draft } = ownDraft(request);
    const body = request.body;
    if (!Array.isArray(body) || body.length === 0) {
      throw new InvenioError(400, VALIDATION, [
        { field: '_schema', messages: ['Expected a list of files.'] },
      ]);
    }
    if (draft.filesEnabled !== true) {
      throw new InvenioError(400, 'Files are disabled for this record.');
    }
    const keys: string[] = [];
    const errors: FieldError[] = [];
    body.forEach((item: unknown, i) => {
      const key = (item as { key?: unknown } | null)?.key;
      if (typeof key !== 'string' || key.length === 0) {
        errors.push({ field: `${i}.key`, messages: ['Missing data for required field.'] });
      } else if (key.includes('/') && !settings.folders) {
        errors.push({ field: `${i}.key`, messages: ['File names may not contain "/".'] });
      } else {
        keys.push(key);
      }
    });
    if (errors.length > 0) throw new InvenioError(400, VALIDATION, errors);
    for (const key of keys) {
      if (draft.files.has(key)) throw new InvenioError(400, `File with key ${key} already exists.`);
    }
    if (draft.files.size + keys.length > settings.maxFiles) {
      throw new InvenioError(
        400,
        `Too many files: a record holds at most ${settings.maxFiles} files.`,
      );
    }
    const time = now();
    for (const key of keys) {
      draft.files.set(key, { key, status: 'pending', created: time, updated: time });
    }
    touch(version);
    return reply.code(201).send(filesJson(version, 'draft'));
  });

  function ownEntry(request: FastifyRequest): { version: Version; entry: FileEntry } {
    const { version, draft } = ownDraft(request);
    const entry = draft.files.get(keyOf(request));
    if (!entry) throw new InvenioError(404, 'File not found.');
    return { version, entry };
  }

  app.get('/api/records/:id/draft/files/:key', async (request) => {
    const { version, entry } = ownEntry(request);
    return fileJson(version, entry, 'draft');
  });

  app.delete('/api/records/:id/draft/files/:key', async (request, reply) => {
    const { version, entry } = ownEntry(request);
    release(entry);
    version.draft!.files.delete(entry.key);
    touch(version);
    return reply.code(204).send();
  });

  app.put('/api/records/:id/draft/files/:key/content', async (request, reply) => {
    const { version, entry } = ownEntry(request);
    if (!request.headers['content-type']?.startsWith('application/octet-stream')) {
      throw new InvenioError(415, 'Send file content as application/octet-stream.');
    }
    if (entry.status === 'completed') {
      throw new InvenioError(400, 'The file is committed; delete it to upload it again.');
    }
    // Refused before the body is read: the connection closes rather than take the rest.
    reply.header('connection', 'close');
    const declared = Number(request.headers['content-length'] ?? 0);
    if (declared > settings.maxFileSize) throw tooLarge();
    if (hold) {
      hold.waiting += 1;
      await hold.gate;
    }
    const cutAfter = pending.cutAfter;
    pending.cutAfter = undefined;
    const path = join(contentFolder, randomUUID());
    const md5 = createHash('md5');
    let size = 0;
    const meter = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        size += chunk.length;
        if (size > settings.maxFileSize) return done(tooLarge());
        if (cutAfter !== undefined && size >= cutAfter) {
          request.raw.socket.destroy();
          return done(new Error('connection cut by the fault hook'));
        }
        md5.update(chunk);
        done(null, chunk);
      },
    });
    // Piped rather than pipelined: a refused upload must not take the connection down before
    // its answer is sent. A client that goes away ends the upload all the same.
    const source = request.body as Readable;
    source.once('close', () => {
      if (!source.readableEnded) meter.destroy(new Error('the client went away'));
    });
    source.pipe(meter);
    try {
      // Up to 4 MiB queued for the disk: with the default 16 KiB, each chunk waited for its own
      // write on the thread pool before the next was read, and on a busy machine the fake, not
      // the sender, set the pace (bench/transfer: 2 GiB from the zenodo port 16.4 -> 11.2 s).
      await pipeline(meter, createWriteStream(path, { highWaterMark: 4 * 1024 * 1024 }));
    } catch (error) {
      rmSync(path, { force: true });
      throw error;
    }
    reply.removeHeader('connection');
    release(entry);
    entry.content = { path, size, md5: md5.digest('hex'), links: 1 };
    entry.updated = now();
    return fileJson(version, entry, 'draft');
  });

  function tooLarge(): InvenioError {
    return new InvenioError(
      400,
      `File size limit exceeded: at most ${settings.maxFileSize} bytes.`,
    );
  }

  app.post('/api/records/:id/draft/files/:key/commit', async (request) => {
    const { version, entry } = ownEntry(request);
    if (entry.status === 'completed') throw new InvenioError(400, 'The file is committed already.');
    if (!entry.content) throw new InvenioError(400, 'The file has no content yet.');
    if (pending.corrupt) {
      pending.corrupt = false;
      entry.content.md5 = createHash('md5').update(entry.content.md5).digest('hex');
    }
    entry.status = 'completed';
    entry.updated = now();
    touch(version);
    return fileJson(version, entry, 'draft');
  });

  app.post('/api/records/:id/draft/actions/files-import', async (request, reply) => {
    const { version, draft } = ownDraft(request);
    const previous = latestPublished(version.parent);
    if (!previous?.published || previous === version) throw notFound();
    if (draft.files.size > 0) {
      throw new InvenioError(400, VALIDATION, [
        { field: 'files.enabled', messages: ['Please remove all files first.'] },
      ]);
    }
    for (const entry of previous.published.files.values()) {
      if (!entry.content) continue;
      entry.content.links += 1;
      draft.files.set(entry.key, { ...entry, status: 'completed' });
    }
    touch(version);
    return reply.code(201).send(filesJson(version, 'draft'));
  });

  app.post('/api/records/:id/draft/actions/publish', async (request, reply) => {
    const { version, draft } = ownDraft(request);
    const errors = [...validateMetadata(draft.metadata).errors, ...filesErrors(draft)];
    if (errors.length > 0) throw new InvenioError(400, VALIDATION, errors);
    repository.publish(version, settings.doiPrefix);
    if (pending.publish504) {
      pending.publish504 = false;
      return reply
        .code(504)
        .type('text/html')
        .send('<html><body><h1>504 Gateway Time-out</h1></body></html>');
    }
    return reply.code(202).send(recordJson(version, 'published'));
  });

  function filesErrors(draft: Draft): FieldError[] {
    if (draft.filesEnabled === undefined) {
      return [{ field: 'files.enabled', messages: ['Missing data for required field.'] }];
    }
    if (!draft.filesEnabled) return [];
    if (draft.files.size === 0) {
      return [
        {
          field: 'files.enabled',
          messages: [
            'Missing uploaded files. To disable files for this record please mark it as metadata-only.',
          ],
        },
      ];
    }
    const uncommitted = [...draft.files.values()].filter((f) => f.status !== 'completed');
    return uncommitted.length === 0
      ? []
      : [
          {
            field: 'files.entries',
            messages: uncommitted.map((f) => `File ${f.key} is not committed.`),
          },
        ];
  }

  app.post('/oauth/token', async (request, reply) => {
    const form = (request.body ?? {}) as Record<string, string>;
    const client = settings.oauthClient;
    const [basicId, basicSecret] = basicCredentials(request.headers.authorization);
    const id = form.client_id ?? basicId;
    const secret = form.client_secret ?? basicSecret;
    if (!client || id !== client.id || secret !== client.secret) {
      return reply.code(401).send({ error: 'invalid_client' });
    }
    const user = form.grant_type === 'refresh_token' && refreshTokens.get(form.refresh_token ?? '');
    if (!user) return reply.code(400).send({ error: 'invalid_grant' });
    // Refresh tokens rotate: the one used is spent.
    refreshTokens.delete(form.refresh_token!);
    return {
      ...issueOAuthTokens(user),
      token_type: 'Bearer',
      expires_in: 3600,
      scope: 'deposit:write deposit:actions',
    };
  });

  function issueOAuthTokens(user: string) {
    const access_token = randomBytes(24).toString('base64url');
    const refresh_token = randomBytes(24).toString('base64url');
    tokens.set(access_token, user);
    refreshTokens.set(refresh_token, user);
    return { access_token, refresh_token };
  }

  url = (await app.listen({ host: '127.0.0.1', port })).replace('localhost', '127.0.0.1');

  return {
    url,
    options: settings,
    log,
    contentFolder,
    addUser: (user) => {
      const token = randomBytes(24).toString('base64url');
      tokens.set(token, user);
      return token;
    },
    issueOAuthTokens,
    revokeToken: (token) => void tokens.delete(token),
    faults: {
      failNextPublishAfterPublishing: () => void (pending.publish504 = true),
      cutNextUploadAfter: (bytes) => void (pending.cutAfter = bytes),
      corruptNextCommit: () => void (pending.corrupt = true),
      holdUploads: () => {
        let open = () => {};
        const gate = new Promise<void>((resolve) => (open = resolve));
        const held = { gate, open, waiting: 0 };
        hold = held;
        return {
          waiting: () => held.waiting,
          release: () => {
            if (hold === held) hold = undefined;
            open();
          },
        };
      },
    },
    close: async () => {
      hold?.open();
      await app.close();
      rmSync(contentFolder, { recursive: true, force: true });
    },
  };
}

function datacite(identifier: string) {
  return { identifier, provider: 'datacite', client: 'datacite' };
}

function basicCredentials(header: string | undefined): [string?, string?] {
  if (!header?.startsWith('Basic ')) return [];
  const [id, secret] = Buffer.from(header.slice(6), 'base64').toString().split(':');
  return [id && decodeURIComponent(id), secret && decodeURIComponent(secret)];
}
