import { pipeline, Transform, type Readable } from 'node:stream';

/** An upload's body on its way to S3, held to the length its sender promised. */
export interface CountedBody {
  stream: Readable;
  /** Bytes passed on so far. */
  readonly received: number;
  /** Fails when the sender stops early or breaks off, so that S3 is never left waiting. */
  readonly failed: AbortSignal;
}

export function countedBody(incoming: Readable, length: number): CountedBody {
  let received = 0;
  const failure = new AbortController();
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      received += chunk.length;
      done(null, chunk);
    },
    flush(done) {
      done(received < length ? new Error('the upload ended before its Content-Length') : null);
    },
  });
  // A failed sender destroys the counter with its error; the abort stops the call to S3, which
  // would otherwise wait for the promised bytes.
  pipeline(incoming, counter, (error) => {
    if (error) failure.abort(error);
  });
  return {
    stream: counter,
    get received() {
      return received;
    },
    failed: failure.signal,
  };
}
