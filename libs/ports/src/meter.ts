import { createHash, type Hash } from 'node:crypto';
import { Transform, type Readable, type TransformCallback } from 'node:stream';

export type HashAlgorithm = 'md5' | 'sha256';

export interface MeterOptions<H extends HashAlgorithm> {
  /** The digests to take of the bytes on their way. */
  hashes?: readonly H[];
  /** The length the sender promised (its Content-Length): fewer or more bytes fail the meter. */
  expectedLength?: number;
}

/**
 * An upload's bytes on their way from the sender to where they go, passed on unchanged as they
 * arrive: counted, hashed, and held to the length the sender promised. Nothing is held back.
 *
 * The sender is piped in, not joined in a pipeline: whatever reads the meter may stop (an
 * upstream refuses the file, a disk is full) without cutting the sender's connection, which must
 * carry the answer. Its failures are forwarded, which `pipe()` does not do: a sender that breaks
 * off destroys the meter, so that the upload it feeds stops too.
 */
export class Meter<H extends HashAlgorithm = never> extends Transform {
  /** Bytes received from the sender so far. */
  bytes = 0;
  /**
   * Aborted, with the reason, when the sender fails: it breaks off, or its bytes end before the
   * length it promised or run past it. A call that would otherwise wait for the promised bytes
   * can be given it.
   */
  readonly senderFailed: AbortSignal;
  private readonly failure = new AbortController();
  private readonly hashes: Map<H, Hash>;

  constructor(
    private readonly source: Readable,
    private readonly expectedLength: number | undefined,
    algorithms: readonly H[],
  ) {
    super();
    this.senderFailed = this.failure.signal;
    this.hashes = new Map(algorithms.map((algorithm) => [algorithm, createHash(algorithm)]));
    // Its failure is told to whoever reads the meter, and kept in `senderFailed`; with nobody
    // reading yet (a port checking the target first), it must not bring the process down.
    this.on('error', () => undefined);
    const stopped = (error?: Error) => {
      if (!source.readableEnded) this.fail(error ?? senderStopped(this.bytes));
    };
    source.on('error', stopped);
    source.once('close', () => stopped());
    source.pipe(this);
  }

  /** The hex digest of the bytes received so far. */
  digest(algorithm: H): string {
    return this.hashes.get(algorithm)!.copy().digest('hex');
  }

  /**
   * Stops passing bytes on and lets the rest of the sender's bytes pass unread, as Node does for
   * a body nobody read: otherwise the next request on the same connection would wait behind it.
   * The same happens when whatever reads the meter destroys it.
   */
  discardRest(): void {
    this.destroy();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.bytes += chunk.length;
    if (this.expectedLength !== undefined && this.bytes > this.expectedLength) {
      done(this.broken(`the upload ran past the ${this.expectedLength} bytes it promised`));
      return;
    }
    for (const hash of this.hashes.values()) hash.update(chunk);
    done(null, chunk);
  }

  override _flush(done: TransformCallback): void {
    if (this.expectedLength !== undefined && this.bytes < this.expectedLength) {
      const promised = this.expectedLength;
      done(
        this.broken(`the upload ended after ${this.bytes} of the ${promised} bytes it promised`),
      );
      return;
    }
    done();
  }

  override _destroy(error: Error | null, done: (error?: Error | null) => void): void {
    this.source.unpipe(this);
    if (!this.source.readableEnded && !this.source.destroyed) this.source.resume();
    done(error);
  }

  /** The sender's bytes are not what it promised. */
  private broken(reason: string): Error {
    const error = new Error(reason);
    this.failure.abort(error);
    return error;
  }

  private fail(error: Error): void {
    if (this.destroyed) return;
    this.failure.abort(error);
    this.destroy(error);
  }
}

/** A sender that closed without an error of its own, named as Node names a stream that did so. */
function senderStopped(bytes: number): Error {
  return Object.assign(new Error(`the sender stopped after ${bytes} bytes`), {
    code: 'ERR_STREAM_PREMATURE_CLOSE',
  });
}

/** Meters `source`: see {@link Meter}. */
export function meter<H extends HashAlgorithm = never>(
  source: Readable,
  { hashes = [], expectedLength }: MeterOptions<H> = {},
): Meter<H> {
  return new Meter(source, expectedLength, hashes);
}
