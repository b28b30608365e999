import { Readable } from 'node:stream';
import type { Meter } from '@rds/ports';

/**
 * An upload's incoming stream, handed on in pieces of known length: the whole file for one PUT,
 * or one chunk after another for a chunked upload. Nothing is buffered beyond the read at hand.
 */
export class IncomingBody {
  private readonly reads: AsyncIterator<Buffer>;
  private rest: Buffer | undefined;

  /** `metered` is held to the upload's length, and fails when its sender stops short. */
  constructor(private readonly metered: Meter) {
    this.reads = metered[Symbol.asyncIterator]();
  }

  /** After a failed upload, lets the rest of the body pass unread. */
  async discardRest(): Promise<void> {
    await this.reads.return?.();
    this.metered.discardRest();
  }

  /** The next `length` bytes, as a stream to send on. */
  piece(length: number): Readable {
    return Readable.from(this.bytes(length), { objectMode: false });
  }

  private async *bytes(length: number): AsyncGenerator<Buffer> {
    let remaining = length;
    while (remaining > 0) {
      let chunk = this.rest ?? (await this.read());
      this.rest = undefined;
      if (chunk.length > remaining) {
        this.rest = chunk.subarray(remaining);
        chunk = chunk.subarray(0, remaining);
      }
      remaining -= chunk.length;
      yield chunk;
    }
  }

  private async read(): Promise<Buffer> {
    const next = await this.reads.next();
    if (next.done) throw new Error('the upload ended before its Content-Length');
    return next.value;
  }
}
