/**
 * A fake Nextcloud for tests: WebDAV (class 1: no LOCK) under `/remote.php/dav/files/{user}`,
 * chunked upload v2 under `/remote.php/dav/uploads/{user}`, the OCS user API and an OAuth2 token
 * endpoint. Strict where Nextcloud is: a chunk upload without `Destination`, with a chunk number
 * out of 1…10000, a chunk under 5 MiB before the last, or a total that disagrees with
 * `OC-Total-Length` is refused. Its plain WebDAV part passes litmus (basic, copymove, props, http).
 * It ignores `Range`, as a server may (RFC 9110 section 14.2).
 */
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { DOMParser, XMLSerializer, onErrorStopParsing, type Element } from '@xmldom/xmldom';

export interface FakeUser {
  /** The login name (HTTP Basic); may differ from the id, as with LDAP or e-mail logins. */
  login: string;
  password: string;
  id: string;
}

interface DeadProperty {
  namespace: string | null;
  name: string;
  /** The value as XML, namespace declarations included. */
  xml: string;
}

interface Common {
  props: Map<string, DeadProperty>;
  modified: Date;
  etag: string;
}
interface FileNode extends Common {
  type: 'file';
  data: Buffer;
}
interface FolderNode extends Common {
  type: 'folder';
  children: Map<string, DavNode>;
  /** For an upload folder: where its chunks go. */
  destination?: string;
}
type DavNode = FileNode | FolderNode;

const DAV = 'DAV:';
const OC = 'http://owncloud.org/ns';
const MiB = 1024 * 1024;
const MIN_CHUNK = 5 * MiB;
const MAX_BODY = 100 * MiB;
const PREFIX = ['remote.php', 'dav'];

class HttpError extends Error {
  constructor(
    readonly status: number,
    message = '',
  ) {
    super(message);
  }
}

export class NextcloudFake {
  url = '';
  /** Answer the MOVE that assembles an upload this much later (after assembling), like a slow proxy. */
  moveAnswerDelayMs = 0;
  /** Never assemble: the MOVE hangs until the client gives up. */
  hangAssembly = false;
  /** Answer 507 to this chunk number. */
  failChunk: number | undefined;
  /** Hrefs as absolute URLs instead of paths. */
  absoluteHrefs = false;
  /** Every request: method, path, and the headers tests look at. */
  readonly requests: { method: string; path: string; depth?: string }[] = [];

  private readonly users: FakeUser[];
  private readonly client: { id: string; secret: string } | undefined;
  private readonly accessTokens = new Map<string, string>();
  private readonly refreshTokens = new Map<string, string>();
  private readonly root: FolderNode = folder();
  private readonly server: Server;

  constructor(users: FakeUser[], client?: { id: string; secret: string }) {
    this.users = users;
    this.client = client;
    for (const area of ['files', 'uploads']) {
      for (const user of users) this.ensureFolder([...PREFIX, area, user.id]);
    }
    this.server = createServer((request, response) => {
      this.handle(request, response).catch((error: unknown) => {
        const status = error instanceof HttpError ? error.status : 500;
        if (!response.headersSent) response.writeHead(status, { 'content-type': 'text/plain' });
        response.end(error instanceof Error ? error.message : '');
      });
    });
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }

  /** A file's content, by the user's id and a plain path (`/a/b.txt`). */
  file(id: string, path: string): Buffer | undefined {
    const node = this.find([...PREFIX, 'files', id, ...path.split('/').filter(Boolean)]);
    return node?.type === 'file' ? node.data : undefined;
  }

  /** The upload folders the user has open. */
  uploads(id: string): string[] {
    const area = this.find([...PREFIX, 'uploads', id]) as FolderNode;
    return [...area.children.keys()];
  }

  /** Issues an OAuth2 token pair, as if the user had authorised RDS. */
  grant(id: string): { access_token: string; refresh_token: string } {
    const access = randomBytes(16).toString('hex');
    const refresh = randomBytes(16).toString('hex');
    this.accessTokens.set(access, id);
    this.refreshTokens.set(refresh, id);
    return { access_token: access, refresh_token: refresh };
  }

  /** Forgets an access token early, as when the server restarted or revoked it. */
  expire(accessToken: string): void {
    this.accessTokens.delete(accessToken);
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const raw = request.url ?? '/';
    // A fragment never belongs in a request target; refuse rather than act on the part before it.
    if (raw.includes('#')) throw new HttpError(400, 'fragment in request target');
    const url = new URL(raw, this.url);
    const segments = decodeSegments(url.pathname);
    const method = request.method ?? 'GET';
    this.requests.push({
      method,
      path: url.pathname,
      ...(request.headers.depth ? { depth: String(request.headers.depth) } : {}),
    });
    if (method === 'POST' && url.pathname === '/index.php/apps/oauth2/api/v1/token')
      return this.token(request, response);
    const user = this.authenticate(request);
    if (!user) {
      await drain(request);
      response.writeHead(401, { 'www-authenticate': 'Basic realm="Nextcloud", charset="UTF-8"' });
      return void response.end();
    }
    if (url.pathname === '/ocs/v2.php/cloud/user') return this.ocsUser(request, response, user);
    const [r, d, area, owner] = segments;
    if (r !== PREFIX[0] || d !== PREFIX[1] || (area !== 'files' && area !== 'uploads'))
      throw new HttpError(404);
    if (owner !== user.id) throw new HttpError(403, 'not your files');
    if (area === 'uploads') {
      const handled = await this.chunked(method, segments, request, response, user);
      if (handled) return;
    }
    return this.dav(method, segments, request, response, user);
  }

  private authenticate(request: IncomingMessage): FakeUser | undefined {
    const header = request.headers.authorization ?? '';
    if (header.startsWith('Bearer ')) {
      const id = this.accessTokens.get(header.slice(7));
      return this.users.find((u) => u.id === id);
    }
    if (!header.startsWith('Basic ')) return undefined;
    const decoded = Buffer.from(header.slice(6), 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    const [login, password] = [decoded.slice(0, colon), decoded.slice(colon + 1)];
    return this.users.find((u) => u.login === login && u.password === password);
  }

  private ocsUser(request: IncomingMessage, response: ServerResponse, user: FakeUser): void {
    // Nextcloud's CSRF check: OCS calls without this header are refused.
    if (request.headers['ocs-apirequest'] !== 'true') throw new HttpError(401, 'CSRF check failed');
    sendJson(response, 200, {
      ocs: {
        meta: { status: 'ok', statuscode: 200, message: 'OK' },
        data: { id: user.id, 'display-name': user.login, email: null },
      },
    });
  }

  private async token(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const form = new URLSearchParams((await readBody(request)).toString('utf8'));
    if (
      !this.client ||
      form.get('client_id') !== this.client.id ||
      form.get('client_secret') !== this.client.secret
    ) {
      return sendJson(response, 401, { error: 'invalid_client' });
    }
    const id = this.refreshTokens.get(form.get('refresh_token') ?? '');
    if (form.get('grant_type') !== 'refresh_token' || !id)
      return sendJson(response, 400, { error: 'invalid_grant' });
    // Refresh tokens rotate: the one used is spent.
    this.refreshTokens.delete(form.get('refresh_token')!);
    const fresh = this.grant(id);
    sendJson(response, 200, { ...fresh, token_type: 'Bearer', expires_in: 3600, user_id: id });
  }

  /** Chunked upload v2; returns false for what plain WebDAV handles (PROPFIND, DELETE, …). */
  private async chunked(
    method: string,
    segments: string[],
    request: IncomingMessage,
    response: ServerResponse,
    user: FakeUser,
  ): Promise<boolean> {
    const depth = segments.length - 4;
    const destination = headerOf(request, 'destination');
    if (method === 'MKCOL' && depth === 1) {
      const target = destination && this.pathOfUrl(destination);
      if (!target || target[2] !== 'files' || target[3] !== user.id)
        throw new HttpError(400, 'Destination naming a file of the user is required');
      await drain(request);
      const parent = this.find(segments.slice(0, -1)) as FolderNode;
      if (parent.children.has(segments.at(-1)!)) throw new HttpError(405);
      parent.children.set(segments.at(-1)!, { ...folder(), destination });
      response.writeHead(201);
      return (response.end(), true);
    }
    const upload = depth >= 2 ? this.find(segments.slice(0, 5)) : undefined;
    if (method === 'PUT' && depth === 2) {
      const name = segments.at(-1)!;
      if (upload?.type !== 'folder') throw new HttpError(404, 'no such upload');
      if (!/^[1-9]\d{0,4}$/.test(name) || Number(name) > 10_000)
        throw new HttpError(400, 'chunks are numbered 1 to 10000');
      if (destination !== upload.destination)
        throw new HttpError(400, 'Destination must match the upload');
      if (!/^\d+$/.test(String(request.headers['oc-total-length'] ?? '')))
        throw new HttpError(400, 'OC-Total-Length is required');
      const data = await readBody(request);
      if (this.failChunk === Number(name)) throw new HttpError(507, 'insufficient storage');
      upload.children.set(name, file(data));
      response.writeHead(201);
      return (response.end(), true);
    }
    if (method === 'MOVE' && depth === 2 && segments.at(-1) === '.file') {
      if (upload?.type !== 'folder') throw new HttpError(404, 'no such upload');
      if (destination !== upload.destination)
        throw new HttpError(400, 'Destination must match the upload');
      const total = Number(request.headers['oc-total-length']);
      if (this.hangAssembly) return await new Promise<boolean>(() => undefined);
      const status = this.assemble(upload, total);
      if (this.moveAnswerDelayMs) await sleep(this.moveAnswerDelayMs);
      response.writeHead(status);
      return (response.end(), true);
    }
    return false;
  }

  private assemble(upload: FolderNode, total: number): number {
    const numbers = [...upload.children.keys()].map(Number).sort((a, b) => a - b);
    if (numbers.some((n, i) => n !== i + 1)) throw new HttpError(400, 'chunks are missing');
    const chunks = numbers.map((n) => (upload.children.get(String(n)) as FileNode).data);
    if (chunks.slice(0, -1).some((c) => c.length < MIN_CHUNK))
      throw new HttpError(400, 'chunks before the last must be at least 5 MiB');
    const data = Buffer.concat(chunks);
    if (!Number.isSafeInteger(total) || data.length !== total)
      throw new HttpError(400, `OC-Total-Length ${total} but ${data.length} bytes uploaded`);
    const target = this.pathOfUrl(upload.destination!)!;
    const parent = this.find(target.slice(0, -1));
    if (parent?.type !== 'folder') throw new HttpError(409);
    const existing = parent.children.get(target.at(-1)!);
    if (existing?.type === 'folder') throw new HttpError(409, 'a folder is there');
    parent.children.set(target.at(-1)!, file(data));
    const uploads = this.find(target.slice(0, 2).concat('uploads', target[3]!)) as FolderNode;
    for (const [name, node] of uploads.children) if (node === upload) uploads.children.delete(name);
    return existing ? 204 : 201;
  }

  private async dav(
    method: string,
    segments: string[],
    request: IncomingMessage,
    response: ServerResponse,
    user: FakeUser,
  ): Promise<void> {
    const node = this.find(segments);
    const parent = this.find(segments.slice(0, -1));
    const name = segments.at(-1)!;
    const isRoot = segments.length <= 4;
    switch (method) {
      case 'OPTIONS':
        await drain(request);
        response.writeHead(200, {
          dav: '1, 3',
          allow: 'OPTIONS, GET, HEAD, PUT, DELETE, MKCOL, COPY, MOVE, PROPFIND, PROPPATCH',
          'ms-author-via': 'DAV',
        });
        return void response.end();
      case 'GET':
      case 'HEAD': {
        await drain(request);
        if (!node) throw new HttpError(404);
        if (node.type === 'folder') throw new HttpError(501, 'GET is only implemented on files');
        response.writeHead(200, {
          'content-type': 'application/octet-stream',
          'content-length': node.data.length,
          etag: `"${node.etag}"`,
          'last-modified': node.modified.toUTCString(),
        });
        return void response.end(method === 'GET' ? node.data : undefined);
      }
      case 'PUT': {
        if (parent?.type !== 'folder' || isRoot) throw new HttpError(409);
        if (node?.type === 'folder') throw new HttpError(405);
        const data = await readBody(request);
        parent.children.set(name, { ...file(data), props: node?.props ?? new Map() });
        response.writeHead(node ? 204 : 201, { etag: `"${parent.children.get(name)!.etag}"` });
        return void response.end();
      }
      case 'MKCOL': {
        const body = await readBody(request);
        if (body.length > 0) throw new HttpError(415);
        if (node) throw new HttpError(405);
        if (parent?.type !== 'folder') throw new HttpError(409);
        parent.children.set(name, folder());
        response.writeHead(201);
        return void response.end();
      }
      case 'DELETE':
        await drain(request);
        if (!node) throw new HttpError(404);
        if (isRoot || parent?.type !== 'folder') throw new HttpError(403);
        parent.children.delete(name);
        response.writeHead(204);
        return void response.end();
      case 'COPY':
      case 'MOVE':
        await drain(request);
        return this.copyOrMove(method, segments, request, response, user);
      case 'PROPFIND':
        return this.propfind(segments, request, response);
      case 'PROPPATCH':
        return this.proppatch(segments, request, response);
      default:
        await drain(request);
        throw new HttpError(405);
    }
  }

  private copyOrMove(
    method: 'COPY' | 'MOVE',
    segments: string[],
    request: IncomingMessage,
    response: ServerResponse,
    user: FakeUser,
  ): void {
    const node = this.find(segments);
    if (!node) throw new HttpError(404);
    const header = headerOf(request, 'destination');
    const target = header ? this.pathOfUrl(header) : undefined;
    if (!target) throw new HttpError(400, 'Destination is required');
    if (target[2] !== segments[2] || target[3] !== user.id || target.length <= 4)
      throw new HttpError(403, 'Destination outside the user area');
    if (target.join('/') === segments.join('/')) throw new HttpError(403, 'same resource');
    if (target.join('/').startsWith(`${segments.join('/')}/`))
      throw new HttpError(409, 'Destination inside the source');
    const targetParent = this.find(target.slice(0, -1));
    if (targetParent?.type !== 'folder') throw new HttpError(409);
    const existing = targetParent.children.get(target.at(-1)!);
    if (existing && request.headers.overwrite === 'F') throw new HttpError(412);
    const shallow = method === 'COPY' && request.headers.depth === '0';
    targetParent.children.set(target.at(-1)!, method === 'MOVE' ? node : clone(node, shallow));
    if (method === 'MOVE')
      (this.find(segments.slice(0, -1)) as FolderNode).children.delete(segments.at(-1)!);
    response.writeHead(existing ? 204 : 201);
    response.end();
  }

  private async propfind(
    segments: string[],
    request: IncomingMessage,
    response: ServerResponse,
  ): Promise<void> {
    const body = await readBody(request);
    const node = this.find(segments);
    // Sabre's way: no Depth means 1; infinity is refused outright here, to catch clients asking.
    const depth = request.headers.depth ?? '1';
    if (depth !== '0' && depth !== '1') throw new HttpError(403, 'Depth infinity is not supported');
    const request_ = body.length > 0 ? parseXml(body, DAV, 'propfind') : undefined;
    if (!node) throw new HttpError(404);
    const asked =
      request_ &&
      childElements(request_).find((e) => e.namespaceURI === DAV && e.localName === 'prop');
    const names = asked
      ? childElements(asked).map((e) => [e.namespaceURI, e.localName] as const)
      : undefined;
    const onlyNames =
      !!request_ &&
      childElements(request_).some((e) => e.namespaceURI === DAV && e.localName === 'propname');
    const entries: [string[], DavNode][] = [[segments, node]];
    if (depth === '1' && node.type === 'folder')
      for (const [childName, child] of node.children)
        entries.push([[...segments, childName], child]);
    const responses = entries.map(([path, entry]) => {
      const live = liveProperties(entry);
      const all = [...live, ...[...entry.props.values()].map((p) => ({ ...p }))];
      if (!names) {
        const props = all.map((p) =>
          onlyNames ? element(p.namespace, p.name, '') : element(p.namespace, p.name, p.xml),
        );
        return responseXml(this.href(path, entry), [[200, props]]);
      }
      const found: string[] = [];
      const missing: string[] = [];
      for (const [namespace, name] of names) {
        const property = all.find((p) => p.namespace === namespace && p.name === name);
        if (property) found.push(element(namespace, name!, property.xml));
        else missing.push(element(namespace, name!, ''));
      }
      return responseXml(this.href(path, entry), [
        [200, found],
        [404, missing],
      ]);
    });
    sendMultistatus(response, responses);
  }

  private async proppatch(
    segments: string[],
    request: IncomingMessage,
    response: ServerResponse,
  ): Promise<void> {
    const update = parseXml(await readBody(request), DAV, 'propertyupdate');
    const node = this.find(segments);
    if (!node) throw new HttpError(404);
    const props = new Map(node.props);
    const touched: [string | null, string][] = [];
    let refused = false;
    const serializer = new XMLSerializer();
    for (const instruction of childElements(update)) {
      const set = instruction.localName === 'set';
      for (const prop of childElements(instruction).filter((e) => e.localName === 'prop')) {
        for (const property of childElements(prop)) {
          const key = keyOf(property.namespaceURI, property.localName!);
          touched.push([property.namespaceURI, property.localName!]);
          if (property.namespaceURI === DAV || property.namespaceURI === OC) refused = true;
          else if (set) {
            let xml = '';
            for (let child = property.firstChild; child; child = child.nextSibling)
              xml += serializer.serializeToString(child);
            props.set(key, { namespace: property.namespaceURI, name: property.localName!, xml });
          } else props.delete(key);
        }
      }
    }
    // All or nothing: a protected property fails the whole update.
    if (!refused) node.props = props;
    const statusOf = ([namespace]: [string | null, string]) =>
      !refused ? 200 : namespace === DAV || namespace === OC ? 403 : 424;
    const byStatus = new Map<number, string[]>();
    for (const name of touched) {
      const list = byStatus.get(statusOf(name)) ?? [];
      list.push(element(name[0], name[1], ''));
      byStatus.set(statusOf(name), list);
    }
    sendMultistatus(response, [responseXml(this.href(segments, node), [...byStatus])]);
  }

  private href(segments: string[], node: DavNode): string {
    const path = `/${segments.map(encodeSegment).join('/')}${node.type === 'folder' ? '/' : ''}`;
    return this.absoluteHrefs ? `${this.url}${path}` : path;
  }

  private pathOfUrl(value: string): string[] | undefined {
    try {
      return decodeSegments(new URL(value, this.url).pathname);
    } catch {
      return undefined;
    }
  }

  private find(segments: string[]): DavNode | undefined {
    let node: DavNode | undefined = this.root;
    for (const segment of segments) {
      if (node?.type !== 'folder') return undefined;
      node = node.children.get(segment);
    }
    return node;
  }

  private ensureFolder(segments: string[]): void {
    let node = this.root;
    for (const segment of segments) {
      if (!node.children.has(segment)) node.children.set(segment, folder());
      node = node.children.get(segment) as FolderNode;
    }
  }
}

function folder(): FolderNode {
  return {
    type: 'folder',
    children: new Map(),
    props: new Map(),
    modified: new Date(),
    etag: newEtag(),
  };
}

function file(data: Buffer): FileNode {
  return { type: 'file', data, props: new Map(), modified: new Date(), etag: newEtag() };
}

function clone(node: DavNode, shallow: boolean): DavNode {
  const props = new Map(node.props);
  if (node.type === 'file') return { ...file(node.data), props };
  const children = new Map(
    shallow ? [] : [...node.children].map(([name, child]) => [name, clone(child, false)] as const),
  );
  return { ...folder(), children, props };
}

const newEtag = () => randomBytes(8).toString('hex');

function liveProperties(node: DavNode): DeadProperty[] {
  const live = (namespace: string, name: string, xml: string) => ({ namespace, name, xml });
  const common = [
    live(DAV, 'resourcetype', node.type === 'folder' ? '<d:collection/>' : ''),
    live(DAV, 'getlastmodified', node.modified.toUTCString()),
    live(DAV, 'getetag', `"${node.etag}"`),
    live(OC, 'size', String(sizeOf(node))),
  ];
  if (node.type === 'folder') return common;
  const sha1 = createHash('sha1').update(node.data).digest('hex');
  const md5 = createHash('md5').update(node.data).digest('hex');
  return [
    ...common,
    live(DAV, 'getcontentlength', String(node.data.length)),
    live(DAV, 'getcontenttype', 'application/octet-stream'),
    live(OC, 'checksums', `<oc:checksum>SHA1:${sha1} MD5:${md5}</oc:checksum>`),
  ];
}

function sizeOf(node: DavNode): number {
  return node.type === 'file'
    ? node.data.length
    : [...node.children.values()].reduce((sum, child) => sum + sizeOf(child), 0);
}

function keyOf(namespace: string | null, name: string): string {
  return `${namespace ?? ''}\u0000${name}`;
}

/** One property as XML; `d:` and `oc:` are declared on the multistatus, others on the element. */
function element(namespace: string | null, name: string, xml: string): string {
  const tag =
    namespace === DAV
      ? `d:${name}`
      : namespace === OC
        ? `oc:${name}`
        : namespace === null
          ? name
          : `x:${name}`;
  const declaration =
    namespace === null
      ? ' xmlns=""'
      : namespace === DAV || namespace === OC
        ? ''
        : ` xmlns:x="${escapeXml(namespace)}"`;
  return xml === '' ? `<${tag}${declaration}/>` : `<${tag}${declaration}>${xml}</${tag}>`;
}

function responseXml(href: string, propstats: [number, string[]][]): string {
  const stats = propstats
    .filter(([, props]) => props.length > 0)
    .map(
      ([status, props]) =>
        `<d:propstat><d:prop>${props.join('')}</d:prop><d:status>HTTP/1.1 ${status} ${statusText(status)}</d:status></d:propstat>`,
    );
  return `<d:response><d:href>${escapeXml(href)}</d:href>${stats.join('')}</d:response>`;
}

function statusText(status: number): string {
  return { 200: 'OK', 403: 'Forbidden', 404: 'Not Found', 424: 'Failed Dependency' }[status] ?? '';
}

function sendMultistatus(response: ServerResponse, responses: string[]): void {
  const xml =
    `<?xml version="1.0" encoding="utf-8"?>\n` +
    `<d:multistatus xmlns:d="DAV:" xmlns:oc="${OC}" xmlns:nc="http://nextcloud.org/ns">${responses.join('')}</d:multistatus>`;
  response.writeHead(207, { 'content-type': 'application/xml; charset=utf-8' });
  response.end(xml);
}

function sendJson(response: ServerResponse, status: number, value: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  response.end(JSON.stringify(value));
}

function parseXml(body: Buffer, namespace: string, root: string): Element {
  let document;
  try {
    document = new DOMParser({ onError: onErrorStopParsing }).parseFromString(
      body.toString('utf8'),
      'application/xml',
    );
  } catch {
    throw new HttpError(400, 'the body is not well-formed XML');
  }
  const element = document.documentElement;
  if (element?.namespaceURI !== namespace || element.localName !== root)
    throw new HttpError(400, `the body is not a {${namespace}}${root}`);
  return element;
}

function childElements(parent: Element): Element[] {
  const found: Element[] = [];
  for (let node = parent.firstChild; node; node = node.nextSibling)
    if (node.nodeType === 1) found.push(node as Element);
  return found;
}

function decodeSegments(pathname: string): string[] {
  try {
    return pathname
      .split('/')
      .filter((s) => s !== '')
      .map(decodeURIComponent);
  } catch {
    throw new HttpError(400, 'malformed URL encoding');
  }
}

/** Sabre's encoding: everything but unreserved characters and a few sub-delimiters is escaped. */
function encodeSegment(segment: string): string {
  return encodeURIComponent(segment).replace(/%(24|26|2B|2C|3B|3D|40|3A)/g, (escaped) =>
    decodeURIComponent(escaped),
  );
}

function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function headerOf(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY) throw new HttpError(413);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

async function drain(request: IncomingMessage): Promise<void> {
  for await (const _chunk of request);
}
