import type { Readable } from 'node:stream';
import yazl from 'yazl';

/** A file put into a zip: where it is read from, its size, and its name inside the zip. */
export interface ZipMember {
  path: string;
  size: number;
  name: string;
}

// Fixed, so that a zip built again after an interruption holds the same bytes.
const MTIME = new Date('2000-01-01T00:00:00Z');
// Stored, not deflated: the zip's size is known before it is built (it goes first, as the
// upload's Content-Length), and research data is mostly compressed already.
const entryOptions = (member: ZipMember) => ({ size: member.size, compress: false, mtime: MTIME });

/** The exact size of the zip {@link zipStream} builds of `members`, computed without reading them. */
export function zipSize(members: ZipMember[]): Promise<number> {
  const zip = new yazl.ZipFile();
  // Never read: the size comes from the entries' sizes alone.
  for (const member of members) zip.addReadStreamLazy(member.name, entryOptions(member), () => {});
  // @types/yazl leaves out the callback's argument.
  const end = zip.end.bind(zip) as (options: object, sized: (size: number) => void) => void;
  return new Promise((resolve) => end({}, resolve));
}

/**
 * A zip of `members`, streamed: each member is opened only when the zip reaches it, so one
 * member's download is open at a time and memory stays bounded whatever the sizes.
 */
export function zipStream(
  members: ZipMember[],
  open: (member: ZipMember) => Promise<Readable>,
): Readable {
  const zip = new yazl.ZipFile();
  let current: Readable | undefined;
  for (const member of members) {
    zip.addReadStreamLazy(member.name, entryOptions(member), (done) => {
      open(member).then(
        (stream) => done(null, (current = stream)),
        (error: Error) => done(error, undefined as never),
      );
    });
  }
  zip.end();
  const output = zip.outputStream as Readable;
  // yazl emits a member's failure on the ZipFile; the upload reads the output stream.
  zip.on('error', (error: Error) => output.destroy(error));
  output.once('close', () => current?.destroy());
  return output;
}
