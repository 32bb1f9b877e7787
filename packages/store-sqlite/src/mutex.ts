/**
 * A FIFO async mutex. better-sqlite3 is synchronous, but `Store.transaction` runs an async
 * callback: the write connection is held by one callback at a time, and every other write waits
 * here instead of slipping into the open transaction.
 */
export class Mutex {
  #tail: Promise<void> = Promise.resolve();
  #locked = false;

  /** True while some holder has the lock. */
  get locked(): boolean {
    return this.#locked;
  }

  /** Runs `fn` once every earlier holder has released the lock. */
  async run<T>(fn: () => Promise<T> | T): Promise<T> {
    let release!: () => void;
    const next = new Promise<void>((resolve) => {
      release = resolve;
    });
    const previous = this.#tail;
    this.#tail = previous.then(() => next);
    await previous;
    this.#locked = true;
    try {
      return await fn();
    } finally {
      this.#locked = false;
      release();
    }
  }
}
