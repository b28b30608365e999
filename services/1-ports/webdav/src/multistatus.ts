import { DOMParser, onErrorStopParsing, type Element } from '@xmldom/xmldom';

const DAV = 'DAV:';
const OWNCLOUD = 'http://owncloud.org/ns';

/** The properties asked for in every PROPFIND; servers answer unknown ones with a 404 propstat. */
export const PROPFIND_BODY = `<?xml version="1.0" encoding="utf-8"?>
<d:propfind xmlns:d="DAV:" xmlns:oc="http://owncloud.org/ns">
  <d:prop><d:resourcetype/><d:getcontentlength/><d:getlastmodified/><d:getetag/><oc:checksums/></d:prop>
</d:propfind>`;

/** One `<response>` of a multistatus, with the properties the server found. */
export interface DavResource {
  /** As the server sent it: URL-encoded, a path or an absolute URL. */
  href: string;
  folder: boolean;
  size?: number;
  modified?: string;
  etag?: string;
  /** `algorithm:hex`, of those the server keeps the one most use to RDS. */
  checksum?: string;
}

// The repositories' own first: they report MD5 (InvenioRDM, Zenodo) or SHA-256, and a source
// checksum in a target's algorithm proves a file there the same without reading it (exporter).
// The contract names these four.
const CHECKSUM_ALGORITHMS = ['sha256', 'md5', 'sha1', 'adler32'];

/**
 * Reads a `207 Multi-Status` answer by namespace, never by prefix: Apache writes `lp1:`, Nextcloud
 * `d:`, others a default namespace.
 */
export function parseMultistatus(xml: string): DavResource[] {
  const document = new DOMParser({ onError: onErrorStopParsing }).parseFromString(
    xml,
    'application/xml',
  );
  const root = document.documentElement;
  if (!root || root.namespaceURI !== DAV || root.localName !== 'multistatus') {
    throw new Error('not a DAV:multistatus document');
  }
  return children(root, DAV, 'response').flatMap((response) => {
    const href = text(children(response, DAV, 'href')[0]);
    const found = children(response, DAV, 'propstat')
      .filter((propstat) => statusOf(children(propstat, DAV, 'status')[0]) === 200)
      .flatMap((propstat) => children(propstat, DAV, 'prop'));
    if (!href || found.length === 0) return [];
    const property = (namespace: string, name: string) =>
      found.flatMap((prop) => children(prop, namespace, name))[0];
    return [resourceOf(href, property)];
  });
}

function resourceOf(
  href: string,
  property: (namespace: string, name: string) => Element | undefined,
): DavResource {
  const resourcetype = property(DAV, 'resourcetype');
  const folder = resourcetype !== undefined && children(resourcetype, DAV, 'collection').length > 0;
  const length = Number(text(property(DAV, 'getcontentlength')) || Number.NaN);
  const modified = Date.parse(text(property(DAV, 'getlastmodified')));
  const etag = text(property(DAV, 'getetag'));
  const checksum = strongestChecksum(property(OWNCLOUD, 'checksums'));
  return {
    href,
    folder,
    ...(!folder && Number.isSafeInteger(length) && length >= 0 ? { size: length } : {}),
    ...(Number.isNaN(modified) ? {} : { modified: new Date(modified).toISOString() }),
    ...(etag ? { etag } : {}),
    ...(checksum ? { checksum } : {}),
  };
}

/** `<oc:checksums><oc:checksum>SHA1:… MD5:… ADLER32:…</oc:checksum></oc:checksums>` */
function strongestChecksum(checksums: Element | undefined): string | undefined {
  if (!checksums) return undefined;
  const known = new Map<string, string>();
  for (const element of children(checksums, OWNCLOUD, 'checksum')) {
    for (const word of text(element).split(/\s+/)) {
      const match = /^([A-Za-z0-9]+):([0-9A-Fa-f]+)$/.exec(word);
      if (match) known.set(match[1]!.toLowerCase(), match[2]!.toLowerCase());
    }
  }
  const algorithm = CHECKSUM_ALGORITHMS.find((a) => known.has(a));
  return algorithm ? `${algorithm}:${known.get(algorithm)}` : undefined;
}

function children(parent: Element, namespace: string, localName: string): Element[] {
  const found: Element[] = [];
  for (let node = parent.firstChild; node; node = node.nextSibling) {
    const element = node as Element;
    if (
      node.nodeType === node.ELEMENT_NODE &&
      element.namespaceURI === namespace &&
      element.localName === localName
    ) {
      found.push(element);
    }
  }
  return found;
}

function text(element: Element | undefined): string {
  return element?.textContent?.trim() ?? '';
}

/** `HTTP/1.1 200 OK` → 200 */
function statusOf(element: Element | undefined): number | undefined {
  const match = /^HTTP\/\S+\s+(\d{3})/.exec(text(element));
  return match ? Number(match[1]) : undefined;
}
