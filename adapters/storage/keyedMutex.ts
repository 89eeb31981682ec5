/**
 * Serialises async work per key inside this process. The file store queues its own callers here
 * first, so they never poll each other's lock files; the lock file then only arbitrates between
 * processes.
 */
export class KeyedMutex {
  private readonly tails = new Map<string, Promise<void>>();

  async run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    let release!: () => void;
    const done = new Promise<void>((resolve) => (release = resolve));
    const tail = previous.then(() => done);
    this.tails.set(key, tail);
    await previous;
    try {
      return await work();
    } finally {
      release();
      // Forget the key once nobody queued behind us, so the map does not grow with every document.
      if (this.tails.get(key) === tail) this.tails.delete(key);
    }
  }
}
