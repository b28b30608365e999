/** The odd inputs the fuzz suite tries, each named so a failure says what was sent. */

/** Strings a handler must refuse or store as they are, never choke on. */
export const ODD_STRINGS: Record<string, string> = {
  NUL: 'a\u0000b',
  'lone surrogate': '\ud800x',
  '64 KB': 'x'.repeat(64 * 1024),
  'path traversal': '../../../../etc/passwd',
  'percent signs': '%2e%2e%2f%00%',
  'CR LF': 'a\r\nSet-Cookie: stolen=1',
  'right-to-left and emoji': 'ü日本\u202e🙂',
  empty: '',
};

/** Path parameters and query values as they go on the wire: raw, already percent-encoded. */
export const ODD_URL_VALUES: Record<string, string> = {
  '..': '..',
  'encoded traversal': '%2e%2e%2f%2e%2e%2fetc%2fpasswd',
  'bad percent-encoding': '%zz%',
  'encoded NUL': 'a%00b',
  'encoded lone surrogate': '%ED%A0%80',
  'overlong UTF-8': '%C0%AF',
  '10 KB': 'a'.repeat(10 * 1024),
  'negative number': '-1',
  'encoded CR LF': 'a%0D%0ASet-Cookie:%20x=1',
};

/** Values of the wrong JSON type for any field, including a query operator object. */
export const WRONG_TYPES: Record<string, unknown> = {
  number: 12345,
  'operator object': { $gt: '' },
  array: ['x'],
};

/** Whole bodies that are not the object an operation takes, or not JSON at all. */
export const ODD_BODIES: Record<string, string> = {
  'JSON array': '[]',
  'JSON string': '"text"',
  'JSON null': 'null',
  'cut-off JSON': '{"a":',
  'two JSON documents': '{"a":1}{"b":2}',
  'empty body': '',
  'nested 10k deep': `${'['.repeat(10_000)}${']'.repeat(10_000)}`,
  'nested 100k deep': `${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}`,
  '1.5 MB string': JSON.stringify({ x: 'x'.repeat(1_500_000) }),
  '60k unknown keys': `{${Array.from({ length: 60_000 }, (_, i) => `"k${i}":0`).join(',')}}`,
};

/** Content types a JSON operation does not take, or takes only as JSON. */
export const OTHER_CONTENT_TYPES = [
  'text/plain',
  'application/problem+json',
  'application/schema+json',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/octet-stream',
];
