/**
 * Runs work one at a time per key, in the order it came. The archive lives on one machine's
 * disk and is served by one process, so a lock in memory is enough to keep the steps that
 * change a record (commit an upload, publish, make a new version) from interleaving.
 */
export class KeyedLock {
  private readonly tails = new Map<string, Promise<unknown>>();

  async run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const current = (this.tails.get(key) ?? Promise.resolve()).then(work);
    const tail = current.catch(() => undefined);
    this.tails.set(key, tail);
    try {
      return await current;
    } finally {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    }
  }
}
