import { Readable } from 'node:stream';

/**
 * An upload's incoming stream, handed on in pieces of known length: the whole file for one PUT,
 * or one chunk after another for a chunked upload. Nothing is buffered beyond the read at hand.
 */
export class IncomingBody {
  /** Bytes handed on so far. */
  received = 0;
  /** The sender stopped before the promised length. */
  cutShort = false;
  private readonly stream: Readable;
  private readonly reads: AsyncIterator<Buffer>;
  private rest: Buffer | undefined;

  constructor(stream: Readable) {
    this.stream = stream;
    // Not destroyed when reading stops early: the connection must survive to carry the answer.
    this.reads = stream.iterator({ destroyOnReturn: false });
  }

  /**
   * After a failed upload, lets the rest of the body pass unread, as Node does for a body nobody
   * read; otherwise the next request on the same connection would wait behind it for ever.
   */
  async discardRest(): Promise<void> {
    await this.reads.return?.();
    this.stream.resume();
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
      this.received += chunk.length;
      yield chunk;
    }
  }

  private async read(): Promise<Buffer> {
    let next: IteratorResult<Buffer>;
    try {
      next = await this.reads.next();
    } catch (error) {
      this.cutShort = true;
      throw error;
    }
    if (next.done) {
      this.cutShort = true;
      throw new Error('the upload ended before its Content-Length');
    }
    return next.value;
  }
}
