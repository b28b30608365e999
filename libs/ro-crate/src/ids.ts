/**
 * The `@id`s of an RO-Crate's entities, by one rule for everyone who writes them.
 *
 * Files (RO-Crate 1.2, Data Entities, "Encoding file paths in @ids"): the path relative to the
 * crate's root, `/`-separated, with what an IRI path cannot hold percent-encoded (a space as
 * `%20`, `%` as `%25`) and letters of every script written as they are: `Messwerte%20–%20Juli.csv`.
 * Crates made elsewhere name the same file in other ways (`Messwerte – Juli.csv`,
 * `Messwerte%20%E2%80%93%20Juli.csv`, `./Messwerte…`): all of them name one key.
 */

/** ASCII an IRI path segment holds as it is (RFC 3987 iunreserved and sub-delims, and `@`). */
const PLAIN_ASCII = /^[A-Za-z0-9\-._~!$&'()*+,;=@]$/;
/** Beyond ASCII, separators and control, format and private characters are encoded too. */
const NOT_IRI = /[\p{Z}\p{C}]/u;

function encodeSegment(name: string): string {
  let encoded = '';
  for (const char of name) {
    const plain = char.codePointAt(0)! < 0x80 ? PLAIN_ASCII.test(char) : !NOT_IRI.test(char);
    encoded += plain ? char : encodeURIComponent(char);
  }
  return encoded;
}

/** The `@id` of the file (or, ending in `/`, the folder) at `key` in the crate. */
export const fileId = (key: string): string => key.split('/').map(encodeSegment).join('/');

const ABSOLUTE_URI = /^[A-Za-z][A-Za-z0-9+.-]*:/;

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    // A `%` not followed by two hex digits: a name written unencoded, such as `50%.csv`.
    return segment;
  }
}

/**
 * The key (path in the crate) an `@id` names, however it is encoded; none for web resources
 * (absolute URIs), local identifiers (`#…`) and the root itself.
 */
export function keyOf(id: string): string | undefined {
  if (ABSOLUTE_URI.test(id) || id.startsWith('#')) return undefined;
  const path = id.replace(/^(?:\.\/)+/, '');
  return path === '' ? undefined : path.split('/').map(decodeSegment).join('/');
}

/** A fresh local identifier (`#name`, `#name-2`, …) made from a name, not yet in `taken`. */
export function localId(name: string, taken: (id: string) => boolean): string {
  const slug =
    name
      .toLowerCase()
      .replace(/[^\p{L}\p{N}]+/gu, '-')
      .replace(/^-|-$/g, '') || 'entity';
  let id = `#${slug}`;
  for (let n = 2; taken(id); n++) id = `#${slug}-${n}`;
  return id;
}
