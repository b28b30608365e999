import type { Logger } from 'pino';
import type { Meter } from './transfer.ts';

/**
 * Files this large are recorded as under way before they move, and then, while they move, the
 * bytes read of them once every interval, so that a single large file shows moving progress. A
 * smaller one passes within a progress interval at any rate above 1 MB/s, so that writing would
 * show little and cost much of its CPU (bench/transfer): it is recorded once, when done.
 */
export const SHOWN_UNDER_WAY_FROM = 1024 ** 2;

/**
 * Writes a file's bytes done every `intervalMs` while it moves, and only when they changed: at
 * most one write per file and interval, whatever the rate. One write at a time, and none after
 * {@link FileProgress.stop} resolves, so the file's final state is never overwritten.
 */
export class FileProgress {
  readonly meter: Meter = { bytes: 0 };
  private written = -1;
  private writing: Promise<void> = Promise.resolve();
  private busy = false;
  private readonly timer: NodeJS.Timeout;

  constructor(
    write: (bytesDone: number) => Promise<unknown>,
    intervalMs: number,
    logger: Pick<Logger, 'warn'>,
  ) {
    this.timer = setInterval(() => {
      const bytes = this.meter.bytes;
      if (this.busy || bytes === this.written) return;
      this.busy = true;
      this.writing = write(bytes)
        .then(() => void (this.written = bytes))
        // Progress only: the next interval writes again, and the file's end is written anyway.
        .catch((error: unknown) => logger.warn({ err: error }, 'file progress not recorded'))
        .finally(() => (this.busy = false));
    }, intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.writing;
  }
}
