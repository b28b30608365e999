import { ProblemError } from '@rds/kit';

export interface ByteRange {
  start: number;
  /** Inclusive, as in `Content-Range`. */
  end: number;
}

/**
 * One `Range: bytes=…` header against a file of `size` bytes (RFC 9110 section 14): undefined
 * means the whole file; a range that lies outside the file is a 416 problem.
 */
export function parseRange(header: string | undefined, size: number): ByteRange | undefined {
  if (!header) return undefined;
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match || (match[1] === '' && match[2] === '')) return undefined;
  const [first, last] = [match[1]!, match[2]!];
  let range: ByteRange;
  if (first === '') {
    const suffix = Number(last);
    range = { start: Math.max(0, size - suffix), end: size - 1 };
    if (suffix === 0) throw unsatisfiable(header, size);
  } else {
    range = {
      start: Number(first),
      end: last === '' ? size - 1 : Math.min(Number(last), size - 1),
    };
  }
  if (range.start >= size || range.start > range.end) throw unsatisfiable(header, size);
  return range;
}

export function contentRange(range: ByteRange, size: number): string {
  return `bytes ${range.start}-${range.end}/${size}`;
}

function unsatisfiable(header: string, size: number): ProblemError {
  return new ProblemError(416, {
    detail: `The range ${header} lies outside the file of ${size} bytes.`,
    messageKey: 'storage.rangeNotSatisfiable',
    args: { size },
    headers: { 'content-range': `bytes */${size}` },
  });
}
