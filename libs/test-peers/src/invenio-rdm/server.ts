/**
 * A fake Zenodo: InvenioRDM's records API as Zenodo configures it, written from their source code
 * (inveniosoftware/invenio-rdm-records, invenio-drafts-resources, invenio-records-resources,
 * invenio-records, invenio-files-rest, invenio-oauth2server, marshmallow-utils, idutils, and
 * zenodo/zenodo-rdm's `invenio.cfg` and `site/`): drafts, the three-step file upload, publishing
 * with DOIs, new versions with files-import, bearer tokens with owners, rate limits. Each rule
 * names the file it comes from. Fault hooks reproduce what users of Zenodo hit: a publish
 * answered 504 although it succeeded, uploads cut off half-way, and uploads that hang (a slow
 * link) until the test lets them through.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import Fastify, { type FastifyReply, type FastifyRequest } from 'fastify';
import { validateMetadata, type FieldError } from './metadata.ts';
import { checkVocabularies, VocabularyRefusal } from './vocabularies.ts';
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
  /** Per user, in fixed windows. */
  rateLimit: { requests: number; windowMs: number };
  doiPrefix: string;
  /** The OAuth2 client allowed at `/oauth/token`. */
  oauthClient?: { id: string; secret: string };
}

/**
 * Zenodo's limits: 100 files (invenio-rdm-records `config.py` RDM_RECORDS_MAX_FILES_COUNT) of
 * 50 GB (zenodo-rdm `invenio.cfg` RDM_FILES_DEFAULT_MAX_FILE_SIZE) per record, 100 requests a
 * minute for a signed-in user (invenio-app `config.py` RATELIMIT_AUTHENTICATED_USER, "5000 per
 * hour;100 per minute", which zenodo-rdm keeps; the fake counts in fixed windows where
 * invenio-app's strategy is a moving window).
 */
export const ZENODO: FakeOptions = {
  maxFiles: 100,
  maxFileSize: 50 * 1000 ** 3,
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

/** invenio-records-resources `resources/errors.py`: HTTPJSONValidationException, PIDDoesNotExistError. */
const VALIDATION = 'A validation error occurred.';
const notFound = () => new InvenioError(404, 'The persistent identifier does not exist.');
/**
 * invenio-records-resources `resources/errors.py` PermissionDeniedError. An unknown, expired or
 * revoked token makes the request anonymous (invenio-oauth2server `ext.py`,
 * verify_oauth_token_and_set_current_user, sets no user when the token does not verify), and
 * InvenioRDM's permission policies refuse an anonymous caller what needs a user with this 403:
 * never 401.
 */
const permissionDenied = () => new InvenioError(403, 'Permission denied.');
/** invenio-files-rest `config.py` FILES_REST_OBJECT_KEY_MAX_LEN, in code points. */
const MAX_KEY_LENGTH = 255;

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * Published records are public: readable without a token (invenio-rdm-records
     * `services/permissions.py` can_read, can_read_files: any user unless restricted, and Zenodo
     * restricts no record).
     */
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
    if (!request.user) {
      if (request.routeOptions.config.public) return;
      throw permissionDenied();
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
    if (version.parent.owner !== request.user) throw permissionDenied();
    return version;
  }

  function ownDraft(request: FastifyRequest): { version: Version; draft: Draft } {
    const version = owned(request);
    if (!version.draft) throw notFound();
    return { version, draft: version.draft };
  }

  /**
   * A published version. The id of a version never published is reserved, not registered: 404
   * "The persistent identifier is not registered." (invenio-records-resources
   * `resources/errors.py` PIDUnregistered).
   */
  function published(request: FastifyRequest): Version {
    const version = repository.find(idOf(request));
    if (version && !version.published)
      throw new InvenioError(404, 'The persistent identifier is not registered.');
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
        enabled: true,
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
      enabled: true,
      default_preview: null,
      order: [],
      entries: [...state.files.values()].map((entry) => fileJson(version, entry, which)),
      links: { self: base },
    };
  }

  /**
   * The body of `POST /api/records` (no `previous`) and `PUT …/draft`: what is valid is kept, the
   * rest reported in the draft's `errors`; what InvenioRDM raises instead (access it may not
   * manage, unknown vocabulary ids) refuses the whole call, and nothing is saved.
   */
  function draftFrom(body: unknown, previous?: Draft): Draft {
    const input = (typeof body === 'object' && body !== null ? body : {}) as Record<
      string,
      unknown
    >;
    // invenio-rdm-records `services/schemas/record.py` RDMRecordSchema: `unknown = EXCLUDE` at the
    // top level, so unknown keys beside `metadata` are dropped without a word.
    const { kept, errors } = validateMetadata(input.metadata ?? {});
    const access = accessFrom(input.access, previous?.access, errors);
    const filesEnabled = filesEnabledFrom(input.files, previous, errors);
    // invenio-rdm-records `services/pids/providers/datacite.py` validate, run on every save by
    // `services/components/pids.py` (create, update_draft): Zenodo's DOIs are DataCite's and
    // required (zenodo-rdm `site/zenodo_rdm/providers.py`, invenio-rdm-records `config.py`
    // RDM_PERSISTENT_IDENTIFIERS doi required).
    errors.push(...publisherErrors(kept));
    try {
      checkVocabularies(kept);
    } catch (error) {
      if (error instanceof VocabularyRefusal) throw new InvenioError(400, error.message);
      throw error;
    }
    return { metadata: kept, access, filesEnabled, errors, files: previous?.files ?? new Map() };
  }

  /**
   * invenio-rdm-records `services/components/access.py`: changing `access.record` needs the
   * manage_record_access permission, which Zenodo gives no one (zenodo-rdm `invenio.cfg`
   * RDM_ALLOW_RESTRICTED_RECORDS = False, `site/zenodo_rdm/permissions.py`
   * can_manage_record_access); the ValidationError it raises refuses the call.
   */
  function accessFrom(
    input: unknown,
    previous: Draft['access'] | undefined,
    errors: FieldError[],
  ): Draft['access'] {
    const access = { ...(previous ?? { record: 'public', files: 'public' }) };
    if (input === undefined) return access;
    const given = { ...(typeof input === 'object' && input !== null ? input : {}) } as Record<
      string,
      unknown
    >;
    for (const part of ['record', 'files'] as const) {
      const value = given[part];
      if (value === undefined) continue;
      // invenio-rdm-records `services/schemas/access.py`: public or restricted; the schema
      // reports (does not raise) what it drops.
      if (value !== 'public' && value !== 'restricted') {
        errors.push({ field: `access.${part}`, messages: ['Must be one of: public, restricted.'] });
        delete given[part];
      }
    }
    if (given.record !== undefined && given.record !== access.record) {
      throw new InvenioError(400, VALIDATION, [
        { field: 'access', messages: ["You don't have permissions to manage record access."] },
      ]);
    }
    if (given.files === 'public' || given.files === 'restricted') access.files = given.files;
    return access;
  }

  /**
   * invenio-drafts-resources `services/records/components/base.py` (create, update_draft):
   * `files.enabled` defaults to RDM_DEFAULT_FILES_ENABLED (True, invenio-rdm-records
   * `config.py`); changing it needs manage_files, which Zenodo gives no one (zenodo-rdm
   * `invenio.cfg` RDM_ALLOW_METADATA_ONLY_RECORDS = False, `site/zenodo_rdm/permissions.py`
   * can_manage_files): an error in the draft, and files stay enabled. A saved draft without files
   * reports "Missing uploaded files." (the shorter message: the user cannot toggle files).
   */
  function filesEnabledFrom(input: unknown, previous: Draft | undefined, errors: FieldError[]) {
    const enabled = (input as { enabled?: unknown } | undefined)?.enabled ?? true;
    if (enabled !== true) {
      errors.push({
        field: 'files.enabled',
        messages: ["You don't have permissions to manage files options."],
      });
      return true;
    }
    if (previous && previous.files.size === 0)
      errors.push({ field: 'files.enabled', messages: ['Missing uploaded files.'] });
    return true;
  }

  function publisherErrors(metadata: Record<string, unknown>): FieldError[] {
    if (metadata.publisher) return [];
    return [
      {
        field: 'metadata.publisher',
        messages: ['Missing publisher field required for DOI registration.'],
      },
    ];
  }

  app.post('/api/records', async (request, reply) => {
    const version = repository.createRecord(request.user!, draftFrom(request.body));
    return reply.code(201).send(recordJson(version, 'draft'));
  });

  // invenio-drafts-resources `resources/records/resource.py` search_user_records (GET
  // /user/records): the caller's records and drafts; any signed-in user may search
  // (invenio-rdm-records `services/permissions.py` can_search_drafts = can_authenticated).
  app.get('/api/user/records', async (request) => {
    const own = repository.versionsOf(request.user!);
    const hits = own.map((v) => recordJson(v, v.draft ? 'draft' : 'published'));
    return { hits: { hits, total: hits.length }, links: {} };
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

  // invenio-drafts-resources `services/records/service.py` new_version: of a published record
  // only (the PID of a draft resolves as unregistered), and the draft of the next version when
  // there is one already.
  app.post('/api/records/:id/versions', async (request, reply) => {
    const version = owned(request);
    if (!version.published)
      throw new InvenioError(404, 'The persistent identifier is not registered.');
    const parent = version.parent;
    const next = parent.nextDraftId ? repository.find(parent.nextDraftId) : undefined;
    return reply.code(201).send(recordJson(next ?? repository.newVersion(parent), 'draft'));
  });

  app.get('/api/records/:id/draft', async (request) =>
    recordJson(ownDraft(request).version, 'draft'),
  );

  app.put('/api/records/:id/draft', async (request) => {
    const { version, draft } = ownDraft(request);
    version.draft = draftFrom(request.body, draft);
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
    // invenio-records-resources `services/files/schema.py` InitFileSchemaMixin: `key` required,
    // any string (keys may hold "/": the file routes take `<path:key>`,
    // `resources/files/config.py`), unknown fields refused (`unknown = RAISE`).
    const keys: string[] = [];
    const errors: FieldError[] = [];
    body.forEach((item: unknown, i) => {
      if (typeof item !== 'object' || item === null) {
        errors.push({ field: `${i}._schema`, messages: ['Invalid input type.'] });
        return;
      }
      const { key, ...rest } = item as Record<string, unknown>;
      for (const name of Object.keys(rest)) {
        if (!['storage_class', 'checksum', 'size', 'transfer', 'metadata', 'access'].includes(name))
          errors.push({ field: `${i}.${name}`, messages: ['Unknown field.'] });
      }
      if (key === undefined)
        errors.push({ field: `${i}.key`, messages: ['Missing data for required field.'] });
      else if (typeof key !== 'string')
        errors.push({ field: `${i}.key`, messages: ['Not a valid string.'] });
      else keys.push(key);
    });
    if (errors.length > 0) throw new InvenioError(400, VALIDATION, errors);
    for (const key of keys) {
      // invenio-records-resources `records/systemfields/files/manager.py` create: InvalidKeyError.
      if (draft.files.has(key)) throw new InvenioError(400, `File with key ${key} already exists.`);
    }
    // invenio-records-resources `services/files/components/metadata.py` init_files raises
    // FilesCountExceededException, answered 400 with a fixed message (`resources/errors.py`).
    const count = draft.files.size;
    if (count <= settings.maxFiles && count + keys.length > settings.maxFiles) {
      throw new InvenioError(
        400,
        'Uploading selected files will result in exceeding the max amount per record.',
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
    // invenio-records-resources `services/errors.py` FileKeyNotFoundError, 404 with its message.
    if (!entry)
      throw new InvenioError(404, `Record '${version.id}' has no file '${keyOf(request)}'.`);
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
    // invenio-records-resources `resources/files/resource.py` request_stream: octet-stream, the
    // default when none is named; another type is flask-resources' InvalidContentType
    // (`parsers/decorators.py`, `errors.py`), 415.
    const type = request.headers['content-type'] ?? 'application/octet-stream';
    if (type !== 'application/octet-stream') {
      throw new InvenioError(
        415,
        "Invalid 'Content-Type' header. Expected one of: application/octet-stream",
      );
    }
    // invenio-records-resources `services/files/transfer/providers/local.py` set_file_content.
    if (entry.status === 'completed') {
      throw new InvenioError(400, `File with key "${entry.key}" is already committed.`);
    }
    // Refused before the body is read: the connection closes rather than take the rest.
    reply.header('connection', 'close');
    // The content makes an ObjectVersion, whose key is validated (invenio-files-rest `models.py`
    // validate_key: InvalidKeyError, `errors.py`, 400 "Filename is too long.").
    if ([...entry.key].length > MAX_KEY_LENGTH)
      throw new InvenioError(400, 'Filename is too long.');
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

  /**
   * invenio-records-resources `services/files/transfer/base.py` set_file_content: FileSizeError
   * with the bucket's size limit's reason (invenio-files-rest `limiters.py`: the max file size's
   * "Maximum file size exceeded."), 400 (invenio-files-rest `errors.py`).
   */
  function tooLarge(): InvenioError {
    return new InvenioError(400, 'Maximum file size exceeded.');
  }

  app.post('/api/records/:id/draft/files/:key/commit', async (request) => {
    const { version, entry } = ownEntry(request);
    if (entry.status === 'completed') throw new InvenioError(400, 'The file is committed already.');
    if (!entry.content) throw new InvenioError(400, 'The file has no content yet.');
    // invenio-records-resources `services/files/components/metadata.py` commit_file: FileSizeError
    // for a 0-byte file where RECORDS_RESOURCES_ALLOW_EMPTY_FILES is off, as on Zenodo (zenodo-rdm
    // `invenio.cfg`). The transaction is rolled back: the file stays pending.
    if (entry.content.size === 0) throw new InvenioError(400, 'Empty files are not accepted.');
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
    // invenio-drafts-resources `services/records/components/base.py` import_files: every file of
    // the latest published version is linked into the draft, completed, whatever the new version
    // is meant to hold; only a draft without files imports ("Please remove all files first.").
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
    // invenio-drafts-resources `services/records/service.py` publish: the draft is loaded through
    // the schema strictly first (`_validate_draft`), then the components run: files
    // (`services/records/components/base.py` publish) before PIDs (invenio-rdm-records
    // `services/components/pids.py` publish: the DataCite provider's validate, raised).
    for (const errors of [
      validateMetadata(draft.metadata).errors,
      filesErrors(draft),
      publisherErrors(draft.metadata),
    ]) {
      if (errors.length > 0) throw new InvenioError(400, VALIDATION, errors);
    }
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

  /** invenio-drafts-resources `services/records/components/base.py` publish. */
  function filesErrors(draft: Draft): FieldError[] {
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
    if ([...draft.files.values()].every((f) => f.status === 'completed')) return [];
    return [
      {
        field: 'files',
        messages: ['One or more files have not completed their transfer, please wait.'],
      },
    ];
  }

  // The token endpoint of invenio-oauth2server (`invenio_oauth2server/views/server.py`,
  // access_token) is oauthlib's, so its errors are RFC 6749 section 5.2's: 401 invalid_client, 400
  // invalid_grant. That a used refresh token is spent is this fake's assumption, not read from the
  // source: it is the strictest case, which token-storage's one-refresh-at-a-time lock is for.
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
